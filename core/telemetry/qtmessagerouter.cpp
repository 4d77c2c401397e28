#include "qtmessagerouter.h"

#include <QtGlobal>

#include <atomic>
#include <chrono>
#include <mutex>

namespace breakwater {

namespace {

// Qt has one message handler per process: the router in charge, guarded because Qt calls the
// handler from any thread.
std::mutex routerMutex;
EventPublisher* routedTo = nullptr;          // guarded by routerMutex
EventLevel routedFrom = EventLevel::Warning; // guarded by routerMutex
std::atomic<QtMessageHandler> previousHandler{nullptr};

EventLevel levelOf(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return EventLevel::Debug;
    case QtInfoMsg:
        return EventLevel::Info;
    case QtWarningMsg:
        return EventLevel::Warning;
    case QtCriticalMsg:
        return EventLevel::Error;
    case QtFatalMsg:
        return EventLevel::Critical;
    }
    return EventLevel::Warning;
}

void route(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    // A message raised while publishing one (the stream itself complaining) goes to the terminal
    // only: routing it too would take the lock this thread already holds.
    thread_local bool routing = false;
    if (!routing) {
        routing = true;
        std::lock_guard lock(routerMutex);
        if (routedTo && levelOf(type) >= routedFrom) {
            Event e;
            e.time = std::chrono::system_clock::now();
            e.type = EventType::QtMessage;
            e.level = levelOf(type);
            e.reason = QString::fromUtf8(context.category ? context.category : "default");
            e.message = message;
            routedTo->publish(std::move(e));
        }
        routing = false;
    }
    if (const QtMessageHandler previous = previousHandler.load())
        previous(type, context, message);
}

} // namespace

QtMessageRouter::QtMessageRouter(EventPublisher& events, EventLevel minimum)
{
    std::lock_guard lock(routerMutex);
    routedTo = &events;
    routedFrom = minimum;
    previousHandler.store(qInstallMessageHandler(route));
}

QtMessageRouter::~QtMessageRouter()
{
    std::lock_guard lock(routerMutex);
    qInstallMessageHandler(previousHandler.exchange(nullptr));
    routedTo = nullptr;
}

} // namespace breakwater
