#include "configerror.h"

namespace breakwater {

QString ConfigError::text() const
{
    if (key.isEmpty())
        return reason;
    return key % QLatin1StringView(": ") % reason;
}

} // namespace breakwater
