#pragma once

#include "faultplan.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>
#include <utility>

namespace breakwater {

// One HTTP answer before it is framed: the simulator adds Content-Length and Connection.
struct SimulatedResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

// The answers the simulator gives, with the bodies the real ElevenLabs API sends: errors under
// `detail`, either an object with `status` and `message` or FastAPI's validation array.
namespace simulatorresponse {

inline constexpr qsizetype kMaxTextCharacters = 5000;
inline constexpr qint64 kCharacterLimit = 100000; // the simulated subscription's quota

SimulatedResponse json(int status, const QByteArray& body);
SimulatedResponse detailError(int status, const QString& code, const QString& message);

SimulatedResponse invalidApiKey();
SimulatedResponse quotaExceeded();
SimulatedResponse rateLimited(std::chrono::seconds retryAfter);
SimulatedResponse serviceUnavailable();
SimulatedResponse internalError();

// The status-code faults (503, 500, 429, both 401s); nothing for the others, which are not an
// answer (hang, reset), not an error (healthy, slow) or not a status (malformed).
std::optional<SimulatedResponse> forFault(FaultMode mode, std::chrono::seconds retryAfter);

// 422 {"detail":[{"type":..,"loc":[..],"msg":..,"input":..}]}.
SimulatedResponse validationError(const QString& type, const QStringList& location,
                                  const QString& message);
SimulatedResponse textTooLong(qsizetype length);
SimulatedResponse notFound();
SimulatedResponse methodNotAllowed();

// A 200 that claims JSON and stops mid-value, with honest HTTP framing: what a proxy or a broken
// deployment sends. The connection stays usable; only the body is wrong, so a client must look
// at the content type (and the body), not at the status alone.
SimulatedResponse malformedBody();

SimulatedResponse audio(const QByteArray& contentType, const QByteArray& bytes);

// Status line, headers (with Content-Length and Connection), blank line, body.
QByteArray toWire(const SimulatedResponse& response, bool keepAlive);

} // namespace simulatorresponse
} // namespace breakwater
