#pragma once

#include <QNetworkReply>
#include <QString>

#include <chrono>
#include <optional>

namespace breakwater {

// What a failure means for the caller. Transient failures may succeed if tried again later;
// permanent ones will not; rejected calls never reached the service (a breaker or a full queue
// said no); cancelled calls were abandoned by Breakwater itself (shutdown, operator, timeout of a
// whole call).
enum class ErrorKind : quint8
{
    Transient,
    Permanent,
    Rejected,
    Cancelled
};

// Whether a failure says something about the service as a whole (it is down, our key is bad, the
// quota is gone) or only about this one request (its text is too long, a field is invalid). Only
// service-wide failures count against a circuit breaker: one caller's bad input must not cut
// everybody off.
enum class ErrorScope : quint8
{
    Service,
    Request
};

// A failure as a value: the core passes these around instead of throwing.
struct ServiceError
{
    ErrorKind kind = ErrorKind::Transient;
    ErrorScope scope = ErrorScope::Service;
    int httpStatus = 0; // 0 when no HTTP response arrived
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString vendorCode; // e.g. "quota_exceeded", "too_many_concurrent_requests"
    QString message;    // human-readable; never contains secrets
    std::optional<std::chrono::milliseconds> retryAfter;

    bool isTransient() const noexcept { return kind == ErrorKind::Transient; }
    bool countsAgainstBreaker() const noexcept
    {
        return scope == ErrorScope::Service &&
               (kind == ErrorKind::Transient || kind == ErrorKind::Permanent);
    }

    static ServiceError transient(QString message);
    static ServiceError permanent(QString message);
    static ServiceError rejected(QString message);
    static ServiceError cancelled(QString message);
    // "<what> timed out after N ms": transient, like a transport timeout.
    static ServiceError timedOut(const QString& what, std::chrono::milliseconds after);
};

// Stable lower-case names, as written in the log's error_kind field.
QString errorKindName(ErrorKind kind);

} // namespace breakwater
