#pragma once

#include "serviceerror.h"

#include <QByteArray>
#include <QDateTime>

namespace breakwater {

// Turns what came back from a service into a ServiceError, following the taxonomy in
// shared/reference/integrations.md. Pure functions: no I/O, safe from any thread.
namespace classify {

// 408, 429 and 5xx are transient; every other 4xx is permanent. 400/404/422 concern only the
// request that carried them (except voice_not_found, which fails every call with the configured
// voice); 401/403 concern every call (bad key, exhausted quota, no access).
ServiceError fromHttpStatus(int httpStatus);

// Timeouts, refused and reset connections and other transport trouble are transient;
// misconfiguration that no retry can fix (bad URL scheme, TLS handshake refused) is permanent.
ServiceError fromNetworkError(QNetworkReply::NetworkError error);

// An ElevenLabs error response: the status decides the kind, the body's `detail` (an object with
// `status` or `code` and `message`, or a FastAPI-style array of validation errors) refines the
// vendor code and message. Garbage, truncated or oversized bodies never fail the classification:
// the status alone still decides. retryAfterHeader is the raw `Retry-After` value, if any.
ServiceError fromElevenLabsResponse(int httpStatus, const QByteArray& body,
                                    const QByteArray& retryAfterHeader, const QDateTime& now);

// A `Retry-After` header: delta-seconds or an HTTP-date (RFC 9110 10.2.3). Negative, absurd or
// unparseable values yield nothing; a date in the past yields zero.
std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray& value,
                                                         const QDateTime& now);

} // namespace classify
} // namespace breakwater
