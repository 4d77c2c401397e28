#pragma once

#include "boundedreply.h"
#include "errors/serviceerror.h"
#include "services/ttsservice.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace breakwater::elevenlabs {

// What the exchange was, for messages: "text-to-speech request", "model list request".
struct ExchangeDescription
{
    QString what;
    ReplyLimits limits;
};

// The failure of an exchange that ended without a complete 2xx response: a timeout, an oversized
// body, a transport failure, a redirect or an HTTP error. nullopt: a 2xx arrived whole, and the
// caller judges its body. Never mentions the URL's query or any header, so no secret leaks.
std::optional<ServiceError> exchangeError(const BoundedReplyOutcome& outcome,
                                          const ExchangeDescription& exchange,
                                          const QDateTime& now);

// A synthesis: audio, or why not. Beyond exchangeError, a 2xx must carry a non-empty audio body:
// an HTML or JSON page there comes from a broken proxy or gateway and is worth another try.
SynthesisResult synthesisResult(const BoundedReplyOutcome& outcome,
                                const ExchangeDescription& exchange, const QDateTime& now);

// The probe's verdict: healthy (nullopt) only for a 200 whose body is a JSON array of models, or
// an object holding "models".
std::optional<ServiceError> modelsProbeVerdict(const BoundedReplyOutcome& outcome,
                                               const ExchangeDescription& exchange,
                                               const QDateTime& now);

// A server may echo what it was sent (some echo the key in a 401): the key is cut out of the
// message and vendor code, so no error carries it into a log or onto the screen.
void redactSecret(std::optional<ServiceError>& error, const QString& secret);

} // namespace breakwater::elevenlabs
