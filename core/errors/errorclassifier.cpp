#include "errorclassifier.h"

#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QList>

#include <algorithm>
#include <array>
#include <utility>

namespace breakwater::classify {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Real ElevenLabs error bodies are a few hundred bytes. Anything far larger is an HTML page from a
// proxy or something hostile, and parsing it would cost memory for nothing: the status decides.
constexpr qsizetype kMaxParsedBody = qsizetype{64} * 1024;
constexpr qsizetype kMaxVendorCode = 64;
constexpr qsizetype kMaxMessage = 300;

struct ReasonPhrase
{
    int status;
    const char* phrase;
};

constexpr std::array<ReasonPhrase, 18> kReasonPhrases{{
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {413, "Content Too Large"},
    {415, "Unsupported Media Type"},
    {422, "Unprocessable Content"},
    {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
}};

QString httpStatusMessage(int status)
{
    const QString prefix = QStringLiteral("HTTP ") + QString::number(status);
    const auto known = std::find_if(kReasonPhrases.begin(), kReasonPhrases.end(),
                                    [status](const ReasonPhrase& r) { return r.status == status; });
    return known != kReasonPhrases.end() ? prefix + u' ' + QLatin1String(known->phrase) : prefix;
}

// Server text lands in single-line log records and on the dashboard: control characters could
// forge log lines or terminal escapes, and a long string would drown the useful part.
QString cleaned(const QString& raw, qsizetype maxLength, QLatin1String truncationMarker)
{
    QString text = raw;
    for (QChar& ch : text) {
        if (ch.category() == QChar::Other_Control)
            ch = u' ';
    }
    text = text.simplified();
    if (text.size() <= maxLength)
        return text;
    qsizetype cut = maxLength - truncationMarker.size();
    // Never leave half a surrogate pair behind: it would be invalid UTF-16 in the log.
    if (text.at(cut - 1).isHighSurrogate())
        --cut;
    text.truncate(cut);
    return text.trimmed() + truncationMarker;
}

QString cleanedCode(const QString& raw)
{
    return cleaned(raw, kMaxVendorCode, QLatin1String());
}

QString cleanedMessage(const QString& raw)
{
    return cleaned(raw, kMaxMessage, QLatin1String("..."));
}

// Fields of the wrong type are ignored rather than coerced: a number where a code belongs says
// nothing we could act on.
QString stringField(const QJsonObject& object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    return value.isString() ? value.toString() : QString();
}

struct BodyDetail
{
    QString vendorCode;
    QString message;
};

BodyDetail readErrorBody(const QByteArray& body)
{
    BodyDetail out;
    if (body.isEmpty() || body.size() > kMaxParsedBody)
        return out;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return out;

    const QJsonObject root = document.object();
    const QJsonValue detail = root.value(QLatin1String("detail"));
    if (detail.isObject()) {
        const QJsonObject object = detail.toObject();
        out.vendorCode = cleanedCode(stringField(object, QLatin1String("status")));
        if (out.vendorCode.isEmpty())
            out.vendorCode = cleanedCode(stringField(object, QLatin1String("code")));
        out.message = cleanedMessage(stringField(object, QLatin1String("message")));
    } else if (detail.isArray()) {
        // FastAPI validation errors: a list of {loc, msg, type}. The first is enough to act on,
        // and the array shape alone tells us it was a validation failure.
        const QJsonArray items = detail.toArray();
        const QJsonObject first = items.isEmpty() ? QJsonObject() : items.first().toObject();
        out.vendorCode = cleanedCode(stringField(first, QLatin1String("type")));
        if (out.vendorCode.isEmpty())
            out.vendorCode = QStringLiteral("validation_error");
        out.message = cleanedMessage(stringField(first, QLatin1String("msg")));
    } else if (detail.isString()) {
        out.message = cleanedMessage(detail.toString());
    }

    // Proxies and gateways in front of the API use their own shapes; a top-level string still
    // beats a bare status line.
    if (out.message.isEmpty())
        out.message = cleanedMessage(stringField(root, QLatin1String("message")));
    if (out.message.isEmpty())
        out.message = cleanedMessage(stringField(root, QLatin1String("error")));
    return out;
}

struct NetworkErrorInfo
{
    ErrorKind kind;
    ErrorScope scope;
    const char* words;
};

// Qt also derives some of these codes from HTTP statuses (404 becomes ContentNotFoundError, 429
// becomes UnknownContentError). When a status arrived, callers classify the status instead; the
// choices here are for failures where the HTTP exchange itself did not complete.
NetworkErrorInfo describe(QNetworkReply::NetworkError error)
{
    constexpr ErrorKind transient = ErrorKind::Transient;
    constexpr ErrorKind permanent = ErrorKind::Permanent;
    constexpr ErrorScope service = ErrorScope::Service;
    constexpr ErrorScope request = ErrorScope::Request;

    switch (error) {
    // Asking to classify a success is a caller bug: keep it out of retries and the breaker.
    case QNetworkReply::NoError:
        return {permanent, request, "no network error was reported"};

    case QNetworkReply::ConnectionRefusedError:
        return {transient, service, "connection refused"};
    case QNetworkReply::RemoteHostClosedError:
        return {transient, service, "connection closed by the server"};
    // DNS failures are usually blips of the resolver, not a wrong host name.
    case QNetworkReply::HostNotFoundError:
        return {transient, service, "host not found"};
    case QNetworkReply::TimeoutError:
        return {transient, service, "connection timed out"};
    // Qt reports a QNetworkRequest transfer timeout as a cancellation.
    case QNetworkReply::OperationCanceledError:
        return {transient, service, "request timed out or was cancelled"};
    case QNetworkReply::TemporaryNetworkFailureError:
        return {transient, service, "temporary network failure"};
    case QNetworkReply::NetworkSessionFailedError:
        return {transient, service, "network session failed"};
    case QNetworkReply::BackgroundRequestNotAllowedError:
        return {transient, service, "background request not allowed"};
    case QNetworkReply::UnknownNetworkError:
        return {transient, service, "unknown network error"};
    // TLS failures mean a wrong host, an intercepting proxy or a missing CA: retrying won't help.
    case QNetworkReply::SslHandshakeFailedError:
        return {permanent, service, "TLS handshake failed"};
    case QNetworkReply::TooManyRedirectsError:
        return {permanent, service, "too many redirects"};
    case QNetworkReply::InsecureRedirectError:
        return {permanent, service, "redirect to an insecure URL"};

    case QNetworkReply::ProxyConnectionRefusedError:
        return {transient, service, "proxy refused the connection"};
    case QNetworkReply::ProxyConnectionClosedError:
        return {transient, service, "proxy closed the connection"};
    case QNetworkReply::ProxyNotFoundError:
        return {transient, service, "proxy host not found"};
    case QNetworkReply::ProxyTimeoutError:
        return {transient, service, "proxy timed out"};
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return {permanent, service, "proxy authentication required"};
    case QNetworkReply::UnknownProxyError:
        return {transient, service, "unknown proxy error"};

    case QNetworkReply::ContentAccessDenied:
        return {permanent, service, "access denied"};
    case QNetworkReply::ContentOperationNotPermittedError:
        return {permanent, service, "operation not permitted"};
    // A missing endpoint is a wrong base URL, which fails every call alike.
    case QNetworkReply::ContentNotFoundError:
        return {permanent, service, "content not found"};
    case QNetworkReply::AuthenticationRequiredError:
        return {permanent, service, "authentication required"};
    // Our own upload could not be replayed; a fresh request would succeed and the service is fine.
    case QNetworkReply::ContentReSendError:
        return {transient, request, "request could not be sent again"};
    case QNetworkReply::ContentConflictError:
        return {permanent, request, "content conflict"};
    case QNetworkReply::ContentGoneError:
        return {permanent, service, "content gone"};
    case QNetworkReply::UnknownContentError:
        return {permanent, request, "unknown content error"};

    case QNetworkReply::ProtocolUnknownError:
        return {permanent, service, "unknown protocol"};
    case QNetworkReply::ProtocolInvalidOperationError:
        return {permanent, service, "invalid operation for the protocol"};
    // A garbled response is more often a dropped connection or a flaky proxy than a fixed fault.
    case QNetworkReply::ProtocolFailure:
        return {transient, service, "protocol failure"};

    // Mirrors fromHttpStatus, where every 5xx is transient.
    case QNetworkReply::InternalServerError:
        return {transient, service, "internal server error"};
    case QNetworkReply::OperationNotImplementedError:
        return {transient, service, "operation not implemented by the server"};
    case QNetworkReply::ServiceUnavailableError:
        return {transient, service, "service unavailable"};
    case QNetworkReply::UnknownServerError:
        return {transient, service, "unknown server error"};
    }
    return {transient, service, nullptr};
}

} // namespace

ServiceError fromHttpStatus(int httpStatus)
{
    ServiceError error;
    if (httpStatus <= 0) {
        // Nothing came back; whatever broke sits between us and the service.
        error.kind = ErrorKind::Transient;
        error.scope = ErrorScope::Service;
        error.message = QStringLiteral("no HTTP status");
        return error;
    }

    error.httpStatus = httpStatus;
    if (httpStatus < 100 || httpStatus > 599) {
        // Not a status any server sends: a broken intermediary, which is the service side's
        // problem and may clear up.
        error.kind = ErrorKind::Transient;
        error.scope = ErrorScope::Service;
        error.message = QStringLiteral("invalid HTTP status ") + QString::number(httpStatus);
    } else if (httpStatus < 400) {
        // A success or redirect handed to the error classifier is a caller bug, not a service
        // fault: it must neither be retried nor trip the breaker.
        error.kind = ErrorKind::Permanent;
        error.scope = ErrorScope::Request;
        error.message = QStringLiteral("unexpected ") + httpStatusMessage(httpStatus);
    } else if (httpStatus < 500) {
        const bool retryable = httpStatus == 408 || httpStatus == 429;
        // A bad key, an exhausted quota or a forbidden account fails every call, not just this
        // one; 408 and 429 speak about the service's state, too.
        const bool serviceWide = retryable || httpStatus == 401 || httpStatus == 403;
        error.kind = retryable ? ErrorKind::Transient : ErrorKind::Permanent;
        error.scope = serviceWide ? ErrorScope::Service : ErrorScope::Request;
        error.message = httpStatusMessage(httpStatus);
    } else {
        error.kind = ErrorKind::Transient;
        error.scope = ErrorScope::Service;
        error.message = httpStatusMessage(httpStatus);
    }
    return error;
}

ServiceError fromNetworkError(QNetworkReply::NetworkError networkError)
{
    const NetworkErrorInfo info = describe(networkError);
    ServiceError error;
    error.kind = info.kind;
    error.scope = info.scope;
    error.networkError = networkError;
    error.message = info.words ? QString::fromLatin1(info.words)
                               : QStringLiteral("unrecognised network error (code ") +
                                     QString::number(static_cast<int>(networkError)) + u')';
    return error;
}

ServiceError fromElevenLabsResponse(int httpStatus, const QByteArray& body,
                                    const QByteArray& retryAfterHeader, const QDateTime& now)
{
    ServiceError error = fromHttpStatus(httpStatus);
    // Only error statuses carry an ElevenLabs error body; anything else is audio or a proxy page.
    if (httpStatus >= 400 && httpStatus <= 599) {
        BodyDetail detail = readErrorBody(body);
        error.vendorCode = std::move(detail.vendorCode);
        if (!detail.message.isEmpty())
            error.message = std::move(detail.message);
        // The configured voice is wrong for every call, not just this one.
        if ((httpStatus == 400 || httpStatus == 404) &&
            error.vendorCode == QLatin1String("voice_not_found"))
            error.scope = ErrorScope::Service;
    }
    // Kept whatever the kind: the retry policy decides whether to wait, and a breaker may use it
    // to size its open period even for a permanent quota error.
    error.retryAfter = parseRetryAfter(retryAfterHeader, now);
    return error;
}

} // namespace breakwater::classify
