#pragma once

#include "alerts/channels/alertchannel.h"
#include "alerts/delivery.h"
#include "net/curltransfer.h"

#include <QByteArray>
#include <QEventLoop>
#include <QMetaType>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

namespace breakwater {

// Readable failure messages: QCOMPARE finds these by argument-dependent lookup.
inline const char* outcomeName(DeliveryAttempt::Outcome outcome)
{
    switch (outcome) {
    case DeliveryAttempt::Outcome::Delivered:
        return "Delivered";
    case DeliveryAttempt::Outcome::Transient:
        return "Transient";
    case DeliveryAttempt::Outcome::Permanent:
        return "Permanent";
    case DeliveryAttempt::Outcome::Cancelled:
        return "Cancelled";
    }
    return "?";
}

inline char* toString(DeliveryAttempt::Outcome outcome)
{
    return qstrdup(outcomeName(outcome));
}

// "Permanent 401: HTTP 401 from Telegram: Unauthorized", for QVERIFY2.
inline QByteArray describe(const DeliveryAttempt& attempt)
{
    return QByteArray(outcomeName(attempt.outcome)) + ' ' + QByteArray::number(attempt.status) +
           ": " + attempt.detail.toUtf8();
}

} // namespace breakwater

// For QTest::addColumn<DeliveryAttempt::Outcome>.
Q_DECLARE_METATYPE(breakwater::DeliveryAttempt::Outcome)

namespace breakwater::testing {

// One AlertChannel::deliver on a thread of its own, as ChannelWorker runs it, while the test's
// thread keeps its event loop turning for the fake server that lives there: libcurl blocks, the
// fake must not. wait() runs a real event loop, woken by the end of the delivery, rather than
// QTRY's 10 ms naps, so what a test measures is the channel's time, not the polling's.
class BackgroundDelivery final
{
public:
    using Clock = std::chrono::steady_clock;

    BackgroundDelivery(AlertChannel& channel, Delivery delivery)
        : m_startedAt(Clock::now())
        , m_thread([this, &channel, delivery = std::move(delivery)] {
            m_attempt = channel.deliver(delivery, m_canceller);
            m_finishedAt = Clock::now();
            m_done.store(true, std::memory_order_release);
            QMetaObject::invokeMethod(
                &m_wake,
                [this] {
                    if (m_loop)
                        m_loop->quit();
                },
                Qt::QueuedConnection);
        })
    {}
    // A test that failed early must not leave a transfer running: cancel() ends it at once.
    ~BackgroundDelivery()
    {
        m_canceller.cancel();
        m_thread.join();
    }
    Q_DISABLE_COPY_MOVE(BackgroundDelivery)

    // Serves events until the delivery is done or timeoutMs pass; whether it is done.
    bool wait(int timeoutMs)
    {
        if (isDone())
            return true;
        QEventLoop loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        m_loop = &loop;
        loop.exec();
        m_loop = nullptr;
        return isDone();
    }
    bool isDone() const { return m_done.load(std::memory_order_acquire); }
    // Only once isDone().
    const DeliveryAttempt& attempt() const { return m_attempt; }
    Clock::time_point startedAt() const { return m_startedAt; }
    Clock::time_point finishedAt() const { return m_finishedAt; }
    TransferCanceller& canceller() { return m_canceller; }

private:
    TransferCanceller m_canceller;
    QObject m_wake; // on the test's thread: what the delivery thread's wake-up is queued to
    QEventLoop* m_loop = nullptr;
    DeliveryAttempt m_attempt;
    Clock::time_point m_startedAt;
    Clock::time_point m_finishedAt;
    std::atomic<bool> m_done{false};
    std::thread m_thread; // last: starts once the members it writes exist
};

// Delivers on a background thread, serving events meanwhile; nullopt when it took longer than
// timeoutMs (the delivery is then cancelled).
inline std::optional<DeliveryAttempt> deliverInBackground(AlertChannel& channel,
                                                          const Delivery& delivery, int timeoutMs)
{
    BackgroundDelivery run(channel, delivery);
    if (!run.wait(timeoutMs))
        return std::nullopt;
    return run.attempt();
}

} // namespace breakwater::testing
