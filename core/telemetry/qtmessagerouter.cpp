#include "qtmessagerouter.h"

#include <QtGlobal>

#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

namespace breakwater {

namespace {

// Qt has one message handler per process. Routers may overlap (two runtimes in one process, as
// in a test): the newest one alive gets the messages, and Qt's handler is ours from the first
// router's start to the last one's end. Guarded because Qt calls the handler from any thread.
struct Route
{
    const QtMessageRouter* router;
    EventPublisher* events;
    EventLevel minimum;
};
std::mutex routerMutex;
std::vector<Route> routes; // guarded by routerMutex; the last is in charge
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
        if (!routes.empty() && levelOf(type) >= routes.back().minimum) {
            Event e;
            e.time = std::chrono::system_clock::now();
            e.type = EventType::QtMessage;
            e.level = levelOf(type);
            e.reason = QString::fromUtf8(context.category ? context.category : "default");
            e.message = message;
            routes.back().events->publish(std::move(e));
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
    if (routes.empty())
        previousHandler.store(qInstallMessageHandler(route));
    routes.push_back({this, &events, minimum});
}

QtMessageRouter::~QtMessageRouter()
{
    std::lock_guard lock(routerMutex);
    std::erase_if(routes, [this](const Route& r) { return r.router == this; });
    if (routes.empty())
        qInstallMessageHandler(previousHandler.exchange(nullptr));
}

} // namespace breakwater
