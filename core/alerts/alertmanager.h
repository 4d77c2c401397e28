#pragma once

#include "alertrules.h"
#include "alertsettings.h"
#include "events/eventsink.h"
#include "outbox.h"
#include "silence.h"

#include <QThread>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace breakwater {

class AlertChannel;
class AlertDispatcher;
class ChannelWorker;
class SystemClock;
struct DeliveryReport;

// Alerting, from the event stream to people. The rules (alertrules.h) run on the stream's thread
// as events arrive and cost it a few microseconds: every alert raised and resolved goes back into
// the stream at once (alert_raised, alert_resolved), for the log and the dashboard's feed. The
// rest happens elsewhere: grouping and de-duplication on the alert thread ("bw-alerts"), and
// each channel's deliveries on a thread of its own (ChannelWorker), through the outbox on disk.
// Each delivery's outcome is published too (alert_delivered, alert_delivery_failed).
class AlertManager final : public EventSink
{
public:
    AlertManager(EventPublisher& events, const AlertSettings& settings, QString outboxDirectory);
    ~AlertManager() override; // stop()
    AlertManager(const AlertManager&) = delete;
    AlertManager& operator=(const AlertManager&) = delete;

    // Before start().
    void addChannel(std::unique_ptr<AlertChannel> channel);

    // Opens the outbox, queues what a previous run left in it, starts the threads. Returns why
    // it could not, having started nothing.
    [[nodiscard]] QString start();
    // Sends what is waiting in groups, lets due deliveries go out for the shutdown grace, and
    // stops; everything undelivered stays in the outbox. Call it while the stream still runs
    // (after the pipeline has stopped), so the last alerts and their outcomes reach the log.
    void stop();

    void consume(std::span<const Event> events) override;

    std::vector<Alert> activeAlerts() const;
    QStringList channelNames() const;
    std::size_t pendingDeliveries() const;

    // Silences, besides those of the config: the dashboard's "mute". Any thread.
    void addSilence(const Silence& silence);
    void removeSilence(const QString& rule, const QString& service);
    std::vector<Silence> silences() const;

private:
    // The changes go to the alert thread through an inbox under a plain mutex, so the hand-over
    // is one wake-up however many changes a burst brings.
    void handOver(const std::vector<Alert>& changes);
    void takeInbox(); // alert thread
    std::vector<Alert> evaluateRules(WallTime now);
    void announce(const std::vector<Alert>& changes);
    void send(const Notification& notification);
    void report(const DeliveryReport& report);
    void publishNote(EventType type, EventLevel level, const QString& message);

    EventPublisher& m_events;
    const AlertSettings m_settings;
    const Outbox m_outbox;
    SilenceList m_silences;

    mutable std::mutex m_rulesMutex;
    AlertRules m_rules; // guarded by m_rulesMutex
    std::mutex m_inboxMutex;
    std::vector<Alert> m_inbox; // guarded by m_inboxMutex

    std::vector<std::unique_ptr<AlertChannel>> m_channels; // until start() hands them over
    QStringList m_channelNames;
    std::vector<std::unique_ptr<ChannelWorker>> m_workers;
    QThread m_thread;
    SystemClock* m_clock = nullptr;          // lives on m_thread
    AlertDispatcher* m_dispatcher = nullptr; // lives on m_thread
    std::atomic<bool> m_running{false};
};

} // namespace breakwater
