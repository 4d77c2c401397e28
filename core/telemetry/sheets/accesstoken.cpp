#include "accesstoken.h"

#include "errors/errorclassifier.h"
#include "net/curltransfer.h"
#include "net/httppost.h"
#include "serviceaccount.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <utility>

namespace breakwater {

namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr QLatin1StringView kMask("********");
// A token endpoint that names no lifetime gets Google's usual hour.
constexpr seconds kDefaultLifetime{3600};

bool isRetryableStatus(int status)
{
    return status == 408 || status == 429 || status >= 500;
}

QString endpointName(const QUrl& url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

// Whether `text` holds any 16 characters in a row of `secret`.
bool quotesPartOf(const QString& text, const QByteArray& secret)
{
    constexpr qsizetype kWindow = 16;
    if (secret.isEmpty())
        return false;
    const QByteArray latin = text.toLatin1();
    for (qsizetype at = 0; at + kWindow <= latin.size(); ++at) {
        if (secret.contains(QByteArrayView(latin).sliced(at, kWindow)))
            return true;
    }
    return false;
}

// OAuth 2.0's error answer (RFC 6749 5.2): {"error":"invalid_grant","error_description":"..."}.
// The signed JWT is a credential for an hour: an endpoint quoting it back, even in part, must
// not put it in an event or an error. Both fields are searched whole, before they are cut: a
// cut could leave a piece too short to recognise but still worth something.
ServiceError refusal(const QUrl& url, const HttpAnswer& answer, const QByteArray& assertion)
{
    const QJsonObject body = QJsonDocument::fromJson(answer.body).object();
    QString code = body.value(QStringLiteral("error")).toString();
    const QString description = body.value(QStringLiteral("error_description")).toString();
    const bool codeQuotes = quotesPartOf(code, assertion);
    code = codeQuotes ? QString(AccessTokenSource::kWithheldCode) : code.left(64);
    QString message = QStringLiteral("the token endpoint %1 answered HTTP %2")
                          .arg(endpointName(url))
                          .arg(answer.status);
    if (codeQuotes || quotesPartOf(description, assertion)) {
        message += QStringLiteral(" (its reason quoted the signed grant and is withheld)");
    } else {
        if (!code.isEmpty())
            message += QLatin1Char(' ') + code;
        if (!description.isEmpty())
            message += QStringLiteral(": ") + description.left(300);
    }
    ServiceError error = isRetryableStatus(answer.status) ? ServiceError::transient(message)
                                                          : ServiceError::permanent(message);
    error.httpStatus = answer.status;
    error.vendorCode = code;
    if (error.isTransient())
        error.retryAfter =
            classify::parseRetryAfter(answer.retryAfter, QDateTime::currentDateTimeUtc());
    return error;
}

} // namespace

AccessTokenSource::AccessTokenSource(QString bearerToken)
    : m_token(bearerToken.toUtf8())
    , m_renewAt(TimePoint::max())
{}

AccessTokenSource::AccessTokenSource(std::unique_ptr<ServiceAccount> account, QUrl tokenUrl,
                                     Duration timeout)
    : m_account(std::move(account))
    , m_tokenUrl(std::move(tokenUrl))
    , m_timeout(timeout)
{}

AccessTokenSource::~AccessTokenSource() = default;

AccessTokenSource::Result AccessTokenSource::token(TransferCanceller& canceller)
{
    if (!m_account)
        return {m_token, std::nullopt};
    if (!m_token.isEmpty() && steady_clock::now() < m_renewAt)
        return {m_token, std::nullopt};
    return fetch(canceller);
}

bool AccessTokenSource::invalidate()
{
    if (!m_account)
        return false;
    m_previousToken = std::exchange(m_token, QByteArray());
    return true;
}

QString AccessTokenSource::withoutSecrets(QString text) const
{
    for (const QByteArray& secret : {m_token, m_previousToken}) {
        if (!secret.isEmpty())
            text.replace(QString::fromUtf8(secret), kMask);
    }
    return text;
}

std::optional<QString> AccessTokenSource::scrubbed(const QString& text, qsizetype maxLength) const
{
    QString masked = withoutSecrets(text);
    // What a whole-token search cannot find: a quote cut short by the server or a proxy, or
    // split by a line break. No part of it is worth keeping.
    for (const QByteArray& secret : {m_token, m_previousToken}) {
        if (quotesPartOf(masked, secret))
            return std::nullopt;
    }
    // Cut only now: cutting first could split a token, and its first part would pass as text.
    masked.truncate(maxLength);
    return masked;
}

AccessTokenSource::Result AccessTokenSource::fetch(TransferCanceller& canceller)
{
    if (!m_token.isEmpty())
        m_previousToken = std::exchange(m_token, QByteArray());
    const TimePoint started = steady_clock::now();
    JwtClaims claims;
    claims.issuer = m_account->clientEmail();
    claims.scope = ServiceAccount::kSpreadsheetsScope;
    // Google's audience is its token endpoint; a test's fake names its own URL the same way.
    claims.audience = m_tokenUrl.toString(QUrl::FullyEncoded);
    claims.issuedAt = std::chrono::system_clock::now();
    QString signError;
    const std::optional<QByteArray> assertion = m_account->signedJwt(claims, &signError);
    if (!assertion)
        return {{}, ServiceError::permanent(signError)};

    HttpPost post;
    post.url = m_tokenUrl;
    post.timeout = m_timeout;
    post.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"Accept", "application/json"}};
    post.body =
        "grant_type=" +
        QUrl::toPercentEncoding(QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer")) +
        "&assertion=" + QUrl::toPercentEncoding(QString::fromLatin1(*assertion));
    ++m_fetchCount;
    const HttpAnswer answer = postHttp(post, canceller);
    if (answer.code == CURLE_ABORTED_BY_CALLBACK && canceller.isCancelled())
        return {{}, ServiceError::cancelled(QStringLiteral("stopped while fetching a token"))};
    if (answer.code != CURLE_OK) {
        const QString message = QStringLiteral("no access token from %1: %2")
                                    .arg(endpointName(m_tokenUrl), answer.error);
        return {{},
                isTransientTransferError(answer.code) ? ServiceError::transient(message)
                                                      : ServiceError::permanent(message)};
    }
    if (answer.status != 200) {
        return {{}, refusal(m_tokenUrl, answer, *assertion)};
    }

    const QJsonObject body = QJsonDocument::fromJson(answer.body).object();
    const QString token = body.value(QStringLiteral("access_token")).toString();
    const QString type = body.value(QStringLiteral("token_type")).toString();
    if (token.isEmpty() || (!type.isEmpty() && type.compare(u"bearer", Qt::CaseInsensitive) != 0)) {
        // A 200 without a usable token is a broken or impostor endpoint; trying again may help.
        ServiceError error = ServiceError::transient(
            QStringLiteral("the token endpoint %1 answered HTTP 200 without a bearer access_token")
                .arg(endpointName(m_tokenUrl)));
        error.httpStatus = 200;
        return {{}, error};
    }
    const qint64 expiresIn =
        body.value(QStringLiteral("expires_in")).toInteger(kDefaultLifetime.count());
    const seconds lifetime{std::clamp<qint64>(expiresIn, 1, 24 * 3600)};
    const Duration margin = std::min<Duration>(kExpiryMargin, lifetime / 2);
    m_token = token.toUtf8();
    m_renewAt = started + lifetime - margin;
    return {m_token, std::nullopt};
}

} // namespace breakwater
