#include "callending.h"

namespace breakwater {

QString callEndingName(CallEnding ending)
{
    switch (ending) {
    case CallEnding::Succeeded:
        return QStringLiteral("succeeded");
    case CallEnding::Failed:
        return QStringLiteral("failed");
    case CallEnding::Skipped:
        return QStringLiteral("skipped");
    case CallEnding::Degraded:
        return QStringLiteral("degraded");
    }
    return {};
}

} // namespace breakwater
