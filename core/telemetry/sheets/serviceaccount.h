#pragma once

#include "clock/clock.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>

struct evp_pkey_st; // OpenSSL's EVP_PKEY: linked privately, so not included here

namespace breakwater {

// What a service account's JWT asserts (RFC 7523 as Google's OAuth 2.0 for server-to-server
// applications uses it). Times are whole seconds since the epoch.
struct JwtClaims
{
    QString issuer;   // iss: the account's client_email
    QString scope;    // space-separated
    QString audience; // aud: the token endpoint
    WallTime issuedAt;
    std::chrono::seconds lifetime{3600}; // Google accepts at most an hour
};

// A Google service account's JSON key: who it is and the RSA key it signs with. The private key is
// parsed once, when the file is read, and kept only as OpenSSL's key object; nothing here ever
// puts it, or any part of the file, into an error message.
class ServiceAccount final
{
public:
    // The scope of values.append.
    static constexpr QLatin1StringView kSpreadsheetsScope{
        "https://www.googleapis.com/auth/spreadsheets"};

    ~ServiceAccount();
    ServiceAccount(const ServiceAccount&) = delete;
    ServiceAccount& operator=(const ServiceAccount&) = delete;

    // Reads a key file; on failure, why, naming the file and the field, never its contents.
    static std::unique_ptr<ServiceAccount> load(const QString& path, QString* error);
    // The same from the file's bytes, which it wipes once parsed (a best effort: the key is in
    // the caller's memory for as long as the caller keeps other copies).
    static std::unique_ptr<ServiceAccount> fromJson(QByteArray& json, QString* error);

    const QString& clientEmail() const noexcept { return m_clientEmail; }
    // The key file's token_uri; empty when it has none.
    const QUrl& tokenUri() const noexcept { return m_tokenUri; }

    // header.claims.signature: base64url without padding, the signature RS256 (RSASSA-PKCS1-v1_5
    // with SHA-256) over the first two parts. nullopt and why when OpenSSL cannot sign.
    std::optional<QByteArray> signedJwt(const JwtClaims& claims, QString* error) const;

    // RFC 4648 section 5 ("base64url"), without '=' padding, as JWTs are written.
    static QByteArray base64Url(QByteArrayView bytes);

private:
    struct KeyDeleter
    {
        void operator()(evp_pkey_st* key) const noexcept;
    };

    ServiceAccount() = default;

    QString m_clientEmail;
    QUrl m_tokenUri;
    std::unique_ptr<evp_pkey_st, KeyDeleter> m_key;
};

} // namespace breakwater
