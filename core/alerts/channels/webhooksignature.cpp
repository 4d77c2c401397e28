#include "webhooksignature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace breakwater {

QByteArray webhookSigningKey(const QString& secret)
{
    constexpr QLatin1StringView prefix("whsec_");
    if (secret.startsWith(prefix)) {
        // Strict: the lenient default skips what is not base64 and never fails, which would
        // turn a mistyped secret into some other key instead of the text as written.
        const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(
            secret.mid(prefix.size()).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded)
            return *decoded;
    }
    return secret.toUtf8();
}

QByteArray webhookSignature(const QByteArray& key, const QByteArray& id, qint64 timestamp,
                            const QByteArray& body)
{
    const QByteArray content = id + '.' + QByteArray::number(timestamp) + '.' + body;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.constData(), int(key.size()),
         reinterpret_cast<const unsigned char*>(content.constData()), size_t(content.size()),
         digest, &length);
    return "v1," + QByteArray(reinterpret_cast<const char*>(digest), int(length)).toBase64();
}

} // namespace breakwater
