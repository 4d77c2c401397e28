#include "serviceerror.h"

#include <utility>

namespace breakwater {

namespace {

ServiceError make(ErrorKind kind, QString message)
{
    ServiceError error;
    error.kind = kind;
    error.message = std::move(message);
    return error;
}

} // namespace

ServiceError ServiceError::transient(QString message)
{
    return make(ErrorKind::Transient, std::move(message));
}

ServiceError ServiceError::permanent(QString message)
{
    return make(ErrorKind::Permanent, std::move(message));
}

ServiceError ServiceError::rejected(QString message)
{
    return make(ErrorKind::Rejected, std::move(message));
}

ServiceError ServiceError::cancelled(QString message)
{
    return make(ErrorKind::Cancelled, std::move(message));
}

ServiceError ServiceError::timedOut(const QString& what, std::chrono::milliseconds after)
{
    ServiceError error =
        transient(QStringLiteral("%1 timed out after %2 ms").arg(what).arg(after.count()));
    error.networkError = QNetworkReply::TimeoutError;
    return error;
}

QString errorKindName(ErrorKind kind)
{
    // No default: a new kind must get a name here, and -Wswitch says so.
    switch (kind) {
    case ErrorKind::Transient:
        return QStringLiteral("transient");
    case ErrorKind::Permanent:
        return QStringLiteral("permanent");
    case ErrorKind::Rejected:
        return QStringLiteral("rejected");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

} // namespace breakwater
