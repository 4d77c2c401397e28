#pragma once

#include "clock/clock.h"
#include "errors/serviceerror.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace breakwater {

class ServiceAccount;
class TransferCanceller;

// Where the Sheets sink's bearer tokens come from: a fixed token (sheets.bearer_token or the
// environment), used as it is; or a service account, whose signed JWT is exchanged at the token
// endpoint for an access token that is cached until shortly before it expires and fetched again
// once after the API refuses it (401).
//
// Blocking (the token request goes through libcurl): the sink's worker thread only.
class AccessTokenSource final
{
public:
    struct Result
    {
        QByteArray token;                  // empty when error is set
        std::optional<ServiceError> error; // transient or permanent; cancelled on a stop
    };

    explicit AccessTokenSource(QString bearerToken);
    AccessTokenSource(std::unique_ptr<ServiceAccount> account, QUrl tokenUrl, Duration timeout);
    ~AccessTokenSource();
    AccessTokenSource(const AccessTokenSource&) = delete;
    AccessTokenSource& operator=(const AccessTokenSource&) = delete;

    // The cached token, or a fresh one from the token endpoint.
    Result token(TransferCanceller& canceller);
    // The API said 401 to the current token: drop it, so the next token() fetches another.
    // False when that cannot help (a fixed token is all there is).
    bool invalidate();
    bool canRefresh() const noexcept { return m_account != nullptr; }

    // Tokens fetched from the endpoint so far.
    int fetchCount() const noexcept { return m_fetchCount; }
    // The text with every secret this source knows (the fixed token, the current and the previous
    // access token) replaced by "********": for anything a server said before it goes
    // into an event. The JWT never leaves fetch().
    QString withoutSecrets(QString text) const;
    // withoutSecrets(), then cut to maxLength; nullopt when the text still holds 16 characters
    // in a row of one of those secrets (a quote cut short), which the caller then withholds.
    std::optional<QString> scrubbed(const QString& text, qsizetype maxLength) const;

    // What stands for an error code that quoted a secret.
    static constexpr QLatin1StringView kWithheldCode{"withheld"};

    // Before expiry, a token is used until this much is left (or half its life, if shorter), so
    // a request never leaves with a token that expires on the way.
    static constexpr Duration kExpiryMargin = std::chrono::seconds(60);

private:
    Result fetch(TransferCanceller& canceller);

    const std::unique_ptr<ServiceAccount> m_account; // null: fixed token
    const QUrl m_tokenUrl;
    const Duration m_timeout{};
    QByteArray m_token;
    QByteArray m_previousToken; // the one before: a server may still quote it
    TimePoint m_renewAt{};
    int m_fetchCount = 0;
};

} // namespace breakwater
