#pragma once

#include "events/event.h"

#include <QString>

namespace breakwater {

// The event's app.log line, one field per line, in the log's field order:
//   {
//     "ts": "2026-11-28T15:04:05.123Z",
//     "level": "warning",
//     ...
//   }
// It is the very line the log writer produces, only laid out, so what the details pane shows is
// what grep finds in app.log.
QString logEventDetails(const Event& event);

} // namespace breakwater
