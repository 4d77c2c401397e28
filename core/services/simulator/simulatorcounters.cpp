#include "simulatorcounters.h"

namespace breakwater {

QString simulatorEndpointName(SimulatorEndpoint endpoint)
{
    switch (endpoint) {
    case SimulatorEndpoint::TextToSpeech:
        return QStringLiteral("text_to_speech");
    case SimulatorEndpoint::Models:
        return QStringLiteral("models");
    case SimulatorEndpoint::Subscription:
        return QStringLiteral("subscription");
    case SimulatorEndpoint::Other:
        break;
    }
    return QStringLiteral("other");
}

QString simulatorOutcomeName(SimulatorOutcome outcome)
{
    switch (outcome) {
    case SimulatorOutcome::Ok:
        return QStringLiteral("ok");
    case SimulatorOutcome::ErrorStatus:
        return QStringLiteral("error_status");
    case SimulatorOutcome::Hung:
        return QStringLiteral("hung");
    case SimulatorOutcome::Reset:
        return QStringLiteral("reset");
    case SimulatorOutcome::Malformed:
        return QStringLiteral("malformed");
    case SimulatorOutcome::Abandoned:
        break;
    }
    return QStringLiteral("abandoned");
}

} // namespace breakwater
