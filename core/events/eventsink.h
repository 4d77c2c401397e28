#pragma once

#include "event.h"

#include <span>

namespace breakwater {

// Something that takes the event stream: the log, the alert manager, the dashboard's bridge,
// metrics. Sinks are called on the stream's dispatch thread, one batch at a time, in publication
// order; a sink must not block for long, because every other sink waits behind it.
class EventSink
{
public:
    virtual ~EventSink() = default;
    virtual void consume(std::span<const Event> events) = 0;
    // Called at least every flush interval while the stream runs and once when it stops, after
    // the last batch: the moment to push buffered output to its destination.
    virtual void flush() {}
};

// Where events go in: the stream, or anything that forwards to it.
class EventPublisher
{
public:
    virtual ~EventPublisher() = default;
    virtual void publish(Event event) = 0;
};

} // namespace breakwater
