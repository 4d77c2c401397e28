#include "serviceaccount.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace breakwater {

namespace {

// A Google key file is about 2.3 KB; anything far larger is not one.
constexpr qint64 kMaxKeyFileBytes = 64 * 1024;

// OpenSSL's reason for the last failure ("unsupported", "bad decrypt"): library words, never key
// material. Empties OpenSSL's error queue, so a later failure does not report this one.
QString opensslReason()
{
    const unsigned long code = ERR_peek_last_error();
    const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
    ERR_clear_error();
    return reason ? QString::fromLatin1(reason) : QStringLiteral("no reason given");
}

// Refuses instead of prompting: an encrypted key must not make OpenSSL read the terminal.
int refusePassphrase(char*, int, int, void*)
{
    return -1;
}

void wipe(QByteArray& bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), std::size_t(bytes.size()));
    bytes.clear();
}

struct BioDeleter
{
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct DigestDeleter
{
    void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};

QByteArray compactJson(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

void ServiceAccount::KeyDeleter::operator()(evp_pkey_st* key) const noexcept
{
    EVP_PKEY_free(key);
}

ServiceAccount::~ServiceAccount() = default;

std::unique_ptr<ServiceAccount> ServiceAccount::load(const QString& path, QString* error)
{
    const QString name = QDir::toNativeSeparators(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the service account key %1: %2")
                     .arg(name, file.errorString());
        return nullptr;
    }
    if (file.size() > kMaxKeyFileBytes) {
        *error = QStringLiteral("%1 is not a service account key: larger than %2 KB")
                     .arg(name)
                     .arg(kMaxKeyFileBytes / 1024);
        return nullptr;
    }
    QByteArray bytes = file.readAll();
    QString why;
    std::unique_ptr<ServiceAccount> account = fromJson(bytes, &why);
    if (!account)
        *error = QStringLiteral("the service account key %1 is unusable: %2").arg(name, why);
    return account;
}

std::unique_ptr<ServiceAccount> ServiceAccount::fromJson(QByteArray& json, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    wipe(json);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = parseError.error != QJsonParseError::NoError
                     ? QStringLiteral("not JSON (%1 at offset %2)")
                           .arg(parseError.errorString())
                           .arg(parseError.offset)
                     : QStringLiteral("not a JSON object");
        return nullptr;
    }
    const QJsonObject object = document.object();
    const QString type = object.value(QStringLiteral("type")).toString();
    if (object.contains(QStringLiteral("type")) && type != u"service_account") {
        // Type names are Google's words ("authorized_user"), safe to repeat.
        *error = QStringLiteral("its type is \"%1\", not \"service_account\"").arg(type.left(40));
        return nullptr;
    }
    auto account = std::unique_ptr<ServiceAccount>(new ServiceAccount);
    account->m_clientEmail = object.value(QStringLiteral("client_email")).toString();
    if (account->m_clientEmail.isEmpty()) {
        *error = QStringLiteral("it has no client_email");
        return nullptr;
    }
    const QJsonValue tokenUri = object.value(QStringLiteral("token_uri"));
    if (!tokenUri.isUndefined()) {
        account->m_tokenUri = QUrl(tokenUri.toString(), QUrl::StrictMode);
        const QString scheme = account->m_tokenUri.scheme();
        if (!account->m_tokenUri.isValid() || account->m_tokenUri.host().isEmpty() ||
            (scheme != u"https" && scheme != u"http")) {
            *error = QStringLiteral("its token_uri is not an http or https URL");
            return nullptr;
        }
    }

    QByteArray pem = object.value(QStringLiteral("private_key")).toString().toUtf8();
    if (pem.isEmpty()) {
        *error = QStringLiteral("it has no private_key");
        return nullptr;
    }
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    EVP_PKEY* key =
        bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, refusePassphrase, nullptr) : nullptr;
    bio.reset();
    wipe(pem);
    if (!key) {
        *error = QStringLiteral("its private_key is not an unencrypted PEM private key (%1)")
                     .arg(opensslReason());
        return nullptr;
    }
    account->m_key.reset(key);
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        *error = QStringLiteral("its private_key is not an RSA key, which RS256 needs");
        return nullptr;
    }
    return account;
}

std::optional<QByteArray> ServiceAccount::signedJwt(const JwtClaims& claims, QString* error) const
{
    const qint64 issuedAt =
        std::chrono::duration_cast<std::chrono::seconds>(claims.issuedAt.time_since_epoch())
            .count();
    const QByteArray header = compactJson({{QStringLiteral("alg"), QStringLiteral("RS256")},
                                           {QStringLiteral("typ"), QStringLiteral("JWT")}});
    const QByteArray payload = compactJson({
        {QStringLiteral("iss"), claims.issuer},
        {QStringLiteral("scope"), claims.scope},
        {QStringLiteral("aud"), claims.audience},
        {QStringLiteral("iat"), issuedAt},
        {QStringLiteral("exp"), issuedAt + claims.lifetime.count()},
    });
    const QByteArray signingInput = base64Url(header) + '.' + base64Url(payload);

    std::unique_ptr<EVP_MD_CTX, DigestDeleter> context(EVP_MD_CTX_new());
    EVP_PKEY_CTX* keyContext = nullptr; // owned by context
    std::size_t length = 0;
    const auto* input = reinterpret_cast<const unsigned char*>(signingInput.constData());
    if (!context ||
        EVP_DigestSignInit(context.get(), &keyContext, EVP_sha256(), nullptr, m_key.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &length, input, std::size_t(signingInput.size())) !=
            1) {
        *error = QStringLiteral("cannot sign the JWT: ") + opensslReason();
        return std::nullopt;
    }
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       input, std::size_t(signingInput.size())) != 1) {
        *error = QStringLiteral("cannot sign the JWT: ") + opensslReason();
        return std::nullopt;
    }
    signature.resize(qsizetype(length));
    return signingInput + '.' + base64Url(signature);
}

QByteArray ServiceAccount::base64Url(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64(QByteArray::Base64UrlEncoding |
                                        QByteArray::OmitTrailingEquals);
}

} // namespace breakwater
