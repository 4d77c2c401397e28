#pragma once

#include "events/eventsink.h"

namespace breakwater {

// Sends Qt's own messages (a TLS handshake warning, a QObject::connect complaint) into the event
// stream as qt_message events, their category in `reason`, so they reach app.log with everything
// else; they still go to the handler that was there before (the terminal). While routers live,
// the newest gets the messages; when the last goes, the previous handler is put back.
class QtMessageRouter final
{
public:
    explicit QtMessageRouter(EventPublisher& events, EventLevel minimum = EventLevel::Warning);
    ~QtMessageRouter();
    QtMessageRouter(const QtMessageRouter&) = delete;
    QtMessageRouter& operator=(const QtMessageRouter&) = delete;
};

} // namespace breakwater
