#pragma once

#include "alert.h"
#include "events/eventsink.h"

#include <map>
#include <mutex>
#include <vector>

namespace breakwater {

// Turns the event stream into alerts. The rule today: a breaker that opens raises a critical
// alert for its service (a warning when an operator forced it open), and the breaker closing
// again resolves it. Every alert raised and resolved is published back into the stream
// (alert_raised, alert_resolved) and handed to each notifier.
class AlertManager final : public EventSink
{
public:
    explicit AlertManager(EventPublisher& events);

    // Before the stream starts; notifiers must outlive the manager's use.
    void addNotifier(AlertNotifier* notifier);

    void consume(std::span<const Event> events) override;

    // What is firing now; safe from any thread.
    std::vector<Alert> activeAlerts() const;

private:
    void onTransition(const Event& event);
    void raise(Alert alert);
    void resolve(const QString& fingerprint, WallTime at, const QString& why);
    void announce(const Alert& alert, EventType type);

    EventPublisher& m_events;
    std::vector<AlertNotifier*> m_notifiers;
    mutable std::mutex m_mutex;
    std::map<QString, Alert> m_active; // by fingerprint; guarded by m_mutex
};

} // namespace breakwater
