#include "alertmanager.h"

#include "alertdispatcher.h"
#include "channelworker.h"
#include "clock/systemclock.h"

#include <QUuid>

namespace breakwater {

namespace {

using std::chrono::system_clock;

QString newDeliveryId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString secondsText(Duration duration)
{
    return QString::number(std::chrono::duration<double>(duration).count(), 'f', 1) +
           QStringLiteral(" s");
}

} // namespace

AlertManager::AlertManager(EventPublisher& events, const AlertSettings& settings,
                           QString outboxDirectory)
    : m_events(events)
    , m_settings(settings)
    , m_outbox(std::move(outboxDirectory))
    , m_rules(settings.rules)
{
    m_thread.setObjectName(QStringLiteral("bw-alerts"));
    // The config has checked them already; durations count from now.
    const WallTime now = system_clock::now();
    for (const QString& text : settings.silences) {
        if (std::optional<Silence> silence = parseSilence(text, now, nullptr))
            m_silences.add(*silence);
    }
}

AlertManager::~AlertManager()
{
    stop();
}

void AlertManager::addChannel(std::unique_ptr<AlertChannel> channel)
{
    m_channelNames.append(channel->name());
    m_channels.push_back(std::move(channel));
}

QStringList AlertManager::channelNames() const
{
    return m_channelNames;
}

QString AlertManager::start()
{
    if (m_running)
        return {};
    std::vector<Delivery> leftOver;
    QStringList problems;
    if (!m_channels.empty()) {
        if (QString error = m_outbox.open(); !error.isEmpty())
            return error;
        leftOver = m_outbox.load(&problems);
    }

    // Workers first: once the dispatcher runs, it may hand them messages.
    m_clock = new SystemClock;
    for (std::unique_ptr<AlertChannel>& channel : m_channels) {
        m_workers.push_back(std::make_unique<ChannelWorker>(
            std::move(channel), m_settings.delivery, m_outbox, *m_clock,
            [this](const DeliveryReport& r) { report(r); }));
    }
    m_channels.clear();
    AlertDispatcher::Hooks hooks;
    hooks.evaluate = [this](WallTime now) {
        return evaluateRules(now);
    };
    hooks.send = [this](const Notification& n) {
        send(n);
    };
    m_dispatcher = new AlertDispatcher(m_settings.routing, m_silences, std::move(hooks));
    m_thread.start();
    m_clock->moveToThread(&m_thread);
    m_dispatcher->moveToThread(&m_thread);
    QMetaObject::invokeMethod(m_dispatcher, &AlertDispatcher::start, Qt::QueuedConnection);

    for (const QString& problem : problems)
        publishNote(EventType::AlertDeliveryFailed, EventLevel::Error,
                    QStringLiteral("unreadable alert outbox file: ") + problem);
    for (Delivery& delivery : leftOver) {
        const auto worker =
            std::find_if(m_workers.begin(), m_workers.end(), [&delivery](const auto& w) {
                return w->channel().name() == delivery.channel;
            });
        if (worker == m_workers.end()) {
            publishNote(EventType::AlertDeliveryFailed, EventLevel::Warning,
                        QStringLiteral("%1: a delivery from an earlier run waits in the outbox; "
                                       "that channel is not configured now")
                            .arg(delivery.channel));
            continue;
        }
        (*worker)->enqueue(std::move(delivery));
    }
    for (const auto& worker : m_workers)
        worker->start();
    m_running = true;
    return {};
}

void AlertManager::stop()
{
    {
        std::lock_guard lock(m_rulesMutex);
        if (!m_running)
            return;
        m_running = false;
    }
    // Groups still waiting go to the outbox and the channels now, or would be lost.
    QMetaObject::invokeMethod(m_dispatcher, &AlertDispatcher::flushAll,
                              Qt::BlockingQueuedConnection);
    const TimePoint deadline =
        saturatingAdd(std::chrono::steady_clock::now(), m_settings.delivery.shutdownGrace);
    for (const auto& worker : m_workers)
        worker->beginStop();
    for (const auto& worker : m_workers)
        worker->finishStop(deadline);
    m_workers.clear();
    // The dispatcher's timers and the clock belong to the alert thread: end them there.
    QMetaObject::invokeMethod(
        m_dispatcher,
        [dispatcher = m_dispatcher, clock = m_clock] {
            delete dispatcher;
            delete clock;
        },
        Qt::BlockingQueuedConnection);
    {
        // What the alert thread last read of them, it read under this lock (see takeInbox).
        std::lock_guard lock(m_inboxMutex);
        m_dispatcher = nullptr;
        m_clock = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

void AlertManager::consume(std::span<const Event> events)
{
    std::vector<Alert> changes;
    {
        std::lock_guard lock(m_rulesMutex);
        for (const Event& event : events) {
            switch (event.type) {
            case EventType::BreakerTransition:
            case EventType::CallFailed:
            case EventType::CallSucceeded: {
                std::vector<Alert> more = m_rules.onEvent(event);
                changes.insert(changes.end(), std::make_move_iterator(more.begin()),
                               std::make_move_iterator(more.end()));
                break;
            }
            default:
                break;
            }
        }
        if (changes.empty())
            return;
        if (m_running)
            handOver(changes);
    }
    announce(changes);
}

void AlertManager::handOver(const std::vector<Alert>& changes)
{
    bool wasEmpty = false;
    {
        std::lock_guard lock(m_inboxMutex);
        wasEmpty = m_inbox.empty();
        m_inbox.insert(m_inbox.end(), changes.begin(), changes.end());
    }
    // One wake-up for any number of changes: while the alert thread has not taken the inbox,
    // more changes just join it.
    if (wasEmpty)
        QMetaObject::invokeMethod(
            m_dispatcher, [this] { takeInbox(); }, Qt::QueuedConnection);
}

void AlertManager::takeInbox()
{
    std::vector<Alert> changes;
    AlertDispatcher* dispatcher = nullptr;
    {
        std::lock_guard lock(m_inboxMutex);
        changes.swap(m_inbox);
        dispatcher = m_dispatcher;
    }
    if (dispatcher)
        dispatcher->take(changes);
}

std::vector<Alert> AlertManager::evaluateRules(WallTime now)
{
    std::vector<Alert> changes;
    {
        std::lock_guard lock(m_rulesMutex);
        changes = m_rules.evaluate(now);
    }
    announce(changes);
    return changes;
}

std::vector<Alert> AlertManager::activeAlerts() const
{
    std::lock_guard lock(m_rulesMutex);
    return m_rules.active();
}

std::size_t AlertManager::pendingDeliveries() const
{
    std::size_t pending = 0;
    for (const auto& worker : m_workers)
        pending += worker->pendingCount();
    return pending;
}

void AlertManager::addSilence(const Silence& silence)
{
    m_silences.add(silence);
    publishNote(EventType::AlertSilenced, EventLevel::Info,
                QStringLiteral("silenced ") + describeSilence(silence));
}

void AlertManager::removeSilence(const QString& rule, const QString& service)
{
    m_silences.remove(rule, service);
    Silence lifted;
    lifted.rule = rule;
    lifted.service = service;
    publishNote(EventType::AlertSilenced, EventLevel::Info,
                QStringLiteral("silence lifted: ") + describeSilence(lifted));
}

std::vector<Silence> AlertManager::silences() const
{
    return m_silences.active(system_clock::now());
}

void AlertManager::announce(const std::vector<Alert>& changes)
{
    const WallTime now = system_clock::now();
    for (const Alert& alert : changes) {
        Event e;
        e.time = alert.endsAt.value_or(alert.startsAt);
        e.service = alert.service;
        e.reason = alert.rule;
        if (alert.isResolved()) {
            e.type = EventType::AlertResolved;
            e.level = EventLevel::Info;
            e.message = alert.summary;
        } else {
            e.type = EventType::AlertRaised;
            e.level = alert.severity == AlertSeverity::Critical  ? EventLevel::Critical
                      : alert.severity == AlertSeverity::Warning ? EventLevel::Warning
                                                                 : EventLevel::Info;
            e.message = alert.description.isEmpty() ? alert.summary
                                                    : alert.summary + QStringLiteral(" (") +
                                                          alert.description + QLatin1Char(')');
        }
        if (m_silences.silences(alert, now))
            e.message += QStringLiteral(" [silenced: no channel sends it]");
        m_events.publish(std::move(e));
    }
}

void AlertManager::send(const Notification& notification)
{
    for (const auto& worker : m_workers) {
        Delivery delivery;
        delivery.id = newDeliveryId();
        delivery.channel = worker->channel().name();
        delivery.notification = notification;
        delivery.queuedAt = notification.createdAt;
        if (QString error = m_outbox.store(delivery); !error.isEmpty())
            publishNote(EventType::AlertDeliveryFailed, EventLevel::Error,
                        QStringLiteral("%1: cannot keep the delivery in the outbox (%2); "
                                       "trying it anyway, but a restart would lose it")
                            .arg(delivery.channel, error));
        worker->enqueue(std::move(delivery));
    }
}

void AlertManager::report(const DeliveryReport& r)
{
    const Notification& n = r.delivery.notification;
    const QString& channel = r.delivery.channel;
    Event e;
    e.time = system_clock::now();
    e.service = n.service;
    e.reason = channel;
    if (channel != u"email" && r.attempt.status > 0)
        e.httpStatus = r.attempt.status;
    const QString attempt = QStringLiteral("attempt %1").arg(r.delivery.attempts);
    const QString detail =
        r.attempt.detail.isEmpty() ? QString() : QStringLiteral(", ") + r.attempt.detail;
    switch (r.verdict) {
    case DeliveryReport::Verdict::Delivered:
        e.type = EventType::AlertDelivered;
        e.message =
            QStringLiteral("%1: delivered %2 (%3%4)").arg(channel, n.title(), attempt, detail);
        break;
    case DeliveryReport::Verdict::Retrying:
        e.type = EventType::AlertDeliveryFailed;
        e.level = EventLevel::Warning;
        e.errorKind = ErrorKind::Transient;
        e.delayMs = std::chrono::duration_cast<std::chrono::milliseconds>(r.retryIn).count();
        e.message = QStringLiteral("%1: not delivered yet: %2; trying again in %3 (%4)")
                        .arg(channel, r.attempt.detail, secondsText(r.retryIn), attempt);
        break;
    case DeliveryReport::Verdict::GaveUp:
        e.type = EventType::AlertDeliveryFailed;
        e.level = EventLevel::Error;
        e.errorKind = ErrorKind::Permanent;
        e.message = QStringLiteral("%1: not delivered, %2: %3 (%4)")
                        .arg(channel, n.title(), r.attempt.detail, attempt);
        break;
    }
    m_events.publish(std::move(e));
}

void AlertManager::publishNote(EventType type, EventLevel level, const QString& message)
{
    Event e;
    e.time = system_clock::now();
    e.type = type;
    e.level = level;
    e.message = message;
    m_events.publish(std::move(e));
}

} // namespace breakwater
