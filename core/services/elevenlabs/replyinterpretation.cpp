#include "replyinterpretation.h"

#include "errors/errorclassifier.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace breakwater::elevenlabs {

namespace {

constexpr qsizetype kMaxQuotedHeader = 64;

ServiceError failure(ErrorKind kind, ErrorScope scope, const BoundedReplyOutcome& outcome,
                     const QString& vendorCode, const QString& message)
{
    ServiceError error;
    error.kind = kind;
    error.scope = scope;
    error.httpStatus = outcome.httpStatus;
    error.vendorCode = vendorCode;
    error.message = message;
    return error;
}

// A header value from the server, safe to put in a one-line message.
QString quotedHeader(const QByteArray& value)
{
    QString text;
    for (const char ch : value.first(std::min(value.size(), kMaxQuotedHeader)))
        text.append(ch >= 0x20 && ch < 0x7f ? QChar::fromLatin1(ch) : QChar(u'?'));
    return u'"' + text + u'"';
}

bool isAudioContentType(const QByteArray& contentType)
{
    const QByteArray type = contentType.trimmed().toLower();
    // Some gateways label raw pcm as a plain byte stream; a page or a JSON error never is.
    return type.startsWith("audio/") || type.startsWith("application/octet-stream");
}

} // namespace

std::optional<ServiceError> exchangeError(const BoundedReplyOutcome& outcome,
                                          const ExchangeDescription& exchange, const QDateTime& now)
{
    using Ending = BoundedReplyOutcome::Ending;
    switch (outcome.ending) {
    case Ending::TimedOut: {
        ServiceError error = ServiceError::timedOut(exchange.what, exchange.limits.timeout);
        error.httpStatus = outcome.httpStatus;
        return error;
    }
    case Ending::TooLarge:
        // The same text would bring the same answer back: a retry cannot help, and the service
        // itself is not down, so the breaker is left alone.
        return failure(ErrorKind::Permanent, ErrorScope::Request, outcome,
                       QStringLiteral("response_too_large"),
                       QStringLiteral("%1: response larger than %2 bytes")
                           .arg(exchange.what)
                           .arg(exchange.limits.maxSuccessBody));
    case Ending::Finished:
        break;
    }

    const int status = outcome.httpStatus;
    if (status == 0) {
        // Qt always names what went wrong when no status arrived; should it ever not, the
        // classifier's "no HTTP status" is the honest answer.
        ServiceError error = outcome.networkError == QNetworkReply::NoError
                                 ? classify::fromHttpStatus(0)
                                 : classify::fromNetworkError(outcome.networkError);
        error.message = exchange.what + QStringLiteral(": ") + error.message;
        return error;
    }
    if (status >= 300 && status <= 399) {
        // Followed, it could hand the key to another host; it also means the base URL is wrong
        // for every call.
        return failure(ErrorKind::Permanent, ErrorScope::Service, outcome,
                       QStringLiteral("unexpected_redirect"),
                       QStringLiteral("%1: unexpected redirect (HTTP %2), not followed")
                           .arg(exchange.what)
                           .arg(status));
    }
    if (status < 200 || status > 299) {
        ServiceError error =
            classify::fromElevenLabsResponse(status, outcome.body, outcome.retryAfter, now);
        error.message = exchange.what + QStringLiteral(": ") + error.message;
        return error;
    }

    // A 2xx cut short: the connection dropped mid-body, whether or not Qt noticed.
    const bool shortOfLength =
        outcome.contentLength && outcome.bodyBytesReceived < *outcome.contentLength;
    if (outcome.networkError != QNetworkReply::NoError || shortOfLength) {
        const QString expected = outcome.contentLength
                                     ? QStringLiteral(" of %1").arg(*outcome.contentLength)
                                     : QString();
        ServiceError error = failure(ErrorKind::Transient, ErrorScope::Service, outcome,
                                     QStringLiteral("truncated_response"),
                                     QStringLiteral("%1: response ended after %2%3 bytes")
                                         .arg(exchange.what)
                                         .arg(outcome.bodyBytesReceived)
                                         .arg(expected));
        error.networkError = outcome.networkError;
        return error;
    }
    return std::nullopt;
}

SynthesisResult synthesisResult(const BoundedReplyOutcome& outcome,
                                const ExchangeDescription& exchange, const QDateTime& now)
{
    SynthesisResult result;
    result.error = exchangeError(outcome, exchange, now);
    if (result.error)
        return result;

    if (!isAudioContentType(outcome.contentType)) {
        result.error = failure(ErrorKind::Transient, ErrorScope::Service, outcome,
                               QStringLiteral("unexpected_content_type"),
                               QStringLiteral("%1: HTTP %2 with content type %3 instead of audio")
                                   .arg(exchange.what)
                                   .arg(outcome.httpStatus)
                                   .arg(quotedHeader(outcome.contentType)));
    } else if (outcome.body.isEmpty()) {
        result.error = failure(
            ErrorKind::Transient, ErrorScope::Service, outcome, QStringLiteral("empty_audio"),
            QStringLiteral("%1: HTTP %2 with no audio").arg(exchange.what).arg(outcome.httpStatus));
    } else {
        result.audio = outcome.body;
        result.contentType = QString::fromLatin1(outcome.contentType.trimmed());
    }
    return result;
}

std::optional<ServiceError> modelsProbeVerdict(const BoundedReplyOutcome& outcome,
                                               const ExchangeDescription& exchange,
                                               const QDateTime& now)
{
    if (auto error = exchangeError(outcome, exchange, now)) {
        // For a probe an oversized answer is one more sign of a service not right.
        if (error->vendorCode == QLatin1String("response_too_large")) {
            error->kind = ErrorKind::Transient;
            error->scope = ErrorScope::Service;
        }
        return error;
    }
    if (outcome.httpStatus != 200) {
        return failure(ErrorKind::Transient, ErrorScope::Service, outcome,
                       QStringLiteral("unexpected_status"),
                       QStringLiteral("%1: HTTP %2 instead of 200")
                           .arg(exchange.what)
                           .arg(outcome.httpStatus));
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(outcome.body, &parseError);
    const bool listsModels =
        parseError.error == QJsonParseError::NoError &&
        (document.isArray() ||
         (document.isObject() && document.object().value(QLatin1String("models")).isArray()));
    if (listsModels)
        return std::nullopt;
    return failure(ErrorKind::Transient, ErrorScope::Service, outcome,
                   QStringLiteral("malformed_response"),
                   QStringLiteral("%1: HTTP 200 without a JSON list of models").arg(exchange.what));
}

void redactSecret(std::optional<ServiceError>& error, const QString& secret)
{
    if (!error || secret.isEmpty())
        return;
    error->message.replace(secret, QStringLiteral("[redacted]"));
    error->vendorCode.replace(secret, QStringLiteral("[redacted]"));
}

} // namespace breakwater::elevenlabs
