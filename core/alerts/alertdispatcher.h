#pragma once

#include "alertsettings.h"
#include "notificationgrouper.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <vector>

namespace breakwater {

// The alert thread's work: collects raised and resolved alerts into groups, sends each group's
// message when its wait is over, and once a second asks the rules what time alone has changed
// (a breaker stuck open, flapping that calmed down). Lives on the alert thread; the alert
// manager talks to it through queued calls only.
class AlertDispatcher final : public QObject
{
    Q_OBJECT

public:
    struct Hooks
    {
        // The rules' verdicts for `now` (announced already); called once a second.
        std::function<std::vector<Alert>(WallTime now)> evaluate;
        // A message is due: store it in the outbox and hand it to every channel.
        std::function<void(const Notification&)> send;
    };

    AlertDispatcher(const AlertRoutingSettings& settings, const SilenceList& silences, Hooks hooks);

    // Alert thread. start() begins the once-a-second evaluation.
    void start();
    void take(const std::vector<Alert>& changes);
    // Everything waiting goes out now, and nothing more after it (the program is stopping).
    void flushAll();

private:
    void tick();
    void flushDue();
    void armFlush();

    NotificationGrouper m_grouper;
    const SilenceList& m_silences;
    const Hooks m_hooks;
    // Children, so that they move to the alert thread with the dispatcher.
    QTimer m_tick{this};
    QTimer m_flush{this};
    bool m_closed = false; // after flushAll(): the channels are being stopped
};

} // namespace breakwater
