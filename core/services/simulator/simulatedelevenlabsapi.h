#pragma once

#include "simulatedaudio.h"
#include "simulatorcounters.h"
#include "simulatorresponses.h"

#include <QByteArray>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace breakwater {

// The parts of an HTTP request the simulator looks at, copied out of the server's request object
// (which the server reuses for the connection's next request) so an answer can be made later.
struct SimulatorRequest
{
    QByteArray method; // "GET", "POST", ...
    QString path;
    QUrlQuery query;
    std::optional<QByteArray> apiKey; // the xi-api-key header, when sent (a secret: never logged)
    QByteArray body;
};

// What a healthy ElevenLabs answers: routing, authentication, validation and the success bodies.
// Faults are decided elsewhere; this is the service when nothing is wrong. Lives on the server's
// thread.
class SimulatedElevenLabsApi final
{
public:
    SimulatedElevenLabsApi() = default;
    Q_DISABLE_COPY_MOVE(SimulatedElevenLabsApi)

    static SimulatorEndpoint endpointFor(QStringView path);

    SimulatedResponse answer(const SimulatorRequest& request);

private:
    SimulatedResponse textToSpeech(const SimulatorRequest& request);
    SimulatedResponse subscription() const;

    SimulatedAudio m_audio;
    qint64 m_charactersUsed = 0;
};

} // namespace breakwater
