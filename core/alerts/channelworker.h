#pragma once

#include "alertsettings.h"
#include "breaker/circuitbreaker.h"
#include "channels/alertchannel.h"
#include "delivery.h"
#include "net/curltransfer.h"
#include "retry/backoff.h"

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace breakwater {

class Outbox;

// How a delivery's attempt ended for the worker.
struct DeliveryReport
{
    enum class Verdict
    {
        Delivered,
        Retrying, // a transient failure: tried again after retryIn
        GaveUp,   // refused for good, or still failing after max_age
    };

    Delivery delivery;
    DeliveryAttempt attempt;
    Verdict verdict = Verdict::Delivered;
    Duration retryIn{0};
};

// One channel's deliveries on a thread of their own, so a channel that hangs or refuses holds up
// nothing but itself: not a call, not a breaker decision, not another channel. Deliveries are
// tried in the order they fall due; a transient failure comes back after a jittered backoff (or
// the server's Retry-After, whichever is longer); the channel's own circuit breaker stops
// attempts after breakerFailures failures in a row and lets one trial through after the open
// wait. Every outcome is written to the outbox (attempts counted, finished deliveries removed)
// before it is reported.
class ChannelWorker final
{
public:
    using Reporter = std::function<void(const DeliveryReport&)>;

    // clock drives the breaker's open wait and must outlive the worker; reporter is called on
    // the worker's thread.
    ChannelWorker(std::unique_ptr<AlertChannel> channel, const AlertDeliverySettings& settings,
                  const Outbox& outbox, Clock& clock, Reporter reporter);
    ~ChannelWorker(); // stop(0)
    ChannelWorker(const ChannelWorker&) = delete;
    ChannelWorker& operator=(const ChannelWorker&) = delete;

    const AlertChannel& channel() const noexcept { return *m_channel; }

    void start();
    // Queues a delivery already stored in the outbox. Any thread.
    void enqueue(Delivery delivery);
    // Lets deliveries that are due go out for up to `grace`, then cuts any attempt short and
    // returns; what is left stays in the outbox for the next start.
    void stop(Duration grace);
    // The same in two steps, so that several workers share one grace period: ask them all,
    // then wait for each until the same deadline.
    void beginStop();
    void finishStop(TimePoint deadline);

    std::size_t pendingCount() const;
    BreakerState breakerState() const noexcept { return m_breaker.state(); }

private:
    using Queue = std::multimap<TimePoint, Delivery>;

    void run();
    bool nextDue(std::unique_lock<std::mutex>& lock, Delivery& out);
    void attempt(Delivery delivery);
    void settle(Delivery delivery, const DeliveryAttempt& result, Duration latency,
                const Permit& permit);
    void giveUpEverything(const QString& why);

    const std::unique_ptr<AlertChannel> m_channel;
    const AlertDeliverySettings m_settings;
    const Outbox& m_outbox;
    const Reporter m_reporter;
    const Backoff m_backoff;
    CircuitBreaker m_breaker;
    TransferCanceller m_canceller;
    BackoffState m_jitter;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    Queue m_queue;           // guarded by m_mutex
    bool m_stopping = false; // guarded by m_mutex
    bool m_disabled = false; // guarded by m_mutex: the endpoint is gone (410)
    QString m_disabledWhy;   // guarded by m_mutex
    std::condition_variable m_done;
    bool m_finished = false; // guarded by m_mutex
    std::thread m_thread;
};

} // namespace breakwater
