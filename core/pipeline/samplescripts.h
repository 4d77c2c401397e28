#pragma once

#include <QStringList>

namespace breakwater {

// What an outbound voice agent says in a working day: appointment reminders, delivery windows,
// payment notices. The load generator picks from these when the config names no scripts.
QStringList builtInCallScripts();

} // namespace breakwater
