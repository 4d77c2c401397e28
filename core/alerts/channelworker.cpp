#include "channelworker.h"

#include "outbox.h"

#include <pthread.h>
#include <random>

namespace breakwater {

namespace {

using std::chrono::steady_clock;

// A breaker for a channel: it counts attempts in a row, not rates, and one good trial closes it.
BreakerConfig channelBreakerConfig(const AlertDeliverySettings& settings)
{
    BreakerConfig config;
    config.consecutiveFailures = settings.breakerFailures;
    config.failureRateThreshold = 0.0;
    config.openWait = settings.breakerOpenWait;
    config.halfOpenPermits = 1;
    config.halfOpenSuccesses = 1;
    config.maxHalfOpenWait = Duration::zero();
    return config;
}

BackoffConfig channelBackoff(const AlertDeliverySettings& settings)
{
    BackoffConfig config;
    config.kind = BackoffKind::FullJitter;
    config.base = settings.baseDelay;
    config.cap = settings.maxDelay;
    return config;
}

// A server asking for more than an hour is not taken at its word.
constexpr Duration kMaxRetryAfter = std::chrono::hours(1);

} // namespace

ChannelWorker::ChannelWorker(std::unique_ptr<AlertChannel> channel,
                             const AlertDeliverySettings& settings, const Outbox& outbox,
                             Clock& clock, Reporter reporter)
    : m_channel(std::move(channel))
    , m_settings(settings)
    , m_outbox(outbox)
    , m_reporter(std::move(reporter))
    , m_backoff(channelBackoff(settings))
    , m_breaker(QStringLiteral("alerts.") + m_channel->name(), channelBreakerConfig(settings),
                clock)
    , m_jitter(std::random_device{}())
{}

ChannelWorker::~ChannelWorker()
{
    stop(Duration::zero());
}

void ChannelWorker::start()
{
    if (m_thread.joinable())
        return;
    // Named like Breakwater's other threads, so a stack dump says whose it is.
    const QByteArray name = "bw-" + m_channel->name().left(11).toLatin1();
    m_thread = std::thread([this, name] {
        pthread_setname_np(pthread_self(), name.constData());
        run();
        std::lock_guard lock(m_mutex);
        m_finished = true;
        m_done.notify_all();
    });
}

void ChannelWorker::enqueue(Delivery delivery)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.emplace(steady_clock::now(), std::move(delivery));
    }
    m_wake.notify_one();
}

std::size_t ChannelWorker::pendingCount() const
{
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

void ChannelWorker::stop(Duration grace)
{
    beginStop();
    finishStop(saturatingAdd(steady_clock::now(), grace));
}

void ChannelWorker::beginStop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
}

void ChannelWorker::finishStop(TimePoint deadline)
{
    if (!m_thread.joinable())
        return;
    std::unique_lock lock(m_mutex);
    if (!m_done.wait_until(lock, deadline, [this] { return m_finished; }))
        m_canceller.cancel(); // an attempt still running ends now, as cancelled
    lock.unlock();
    m_thread.join();
}

// Waits for the next delivery that is due; false once the worker should end.
bool ChannelWorker::nextDue(std::unique_lock<std::mutex>& lock, Delivery& out)
{
    while (true) {
        if (m_canceller.isCancelled())
            return false;
        if (m_queue.empty()) {
            if (m_stopping)
                return false;
            m_wake.wait(lock);
            continue;
        }
        const auto first = m_queue.begin();
        if (first->first > steady_clock::now()) {
            if (m_stopping) // what is not due yet waits in the outbox for the next run
                return false;
            m_wake.wait_until(lock, first->first);
            continue;
        }
        out = std::move(first->second);
        m_queue.erase(first);
        return true;
    }
}

void ChannelWorker::run()
{
    std::unique_lock lock(m_mutex);
    Delivery delivery;
    while (nextDue(lock, delivery)) {
        if (m_disabled) {
            const QString why = m_disabledWhy;
            lock.unlock();
            DeliveryReport report{
                delivery, DeliveryAttempt::permanent(why), DeliveryReport::Verdict::GaveUp, {}};
            m_outbox.remove(delivery);
            m_reporter(report);
            lock.lock();
            continue;
        }
        const Permit permit = m_breaker.tryAcquire();
        if (!permit) {
            // Open: wait until the breaker lets a trial through, then try in order again.
            const BreakerStatus status = m_breaker.status();
            const TimePoint retryAt =
                std::max(steady_clock::now() + std::chrono::milliseconds(100), status.openUntil);
            m_queue.emplace(retryAt, std::move(delivery));
            continue;
        }
        lock.unlock();
        const TimePoint started = steady_clock::now();
        const DeliveryAttempt result = m_channel->deliver(delivery, m_canceller);
        settle(std::move(delivery), result, steady_clock::now() - started, permit);
        lock.lock();
    }
}

void ChannelWorker::settle(Delivery delivery, const DeliveryAttempt& result, Duration latency,
                           const Permit& permit)
{
    using Outcome = DeliveryAttempt::Outcome;
    DeliveryReport report{delivery, result, DeliveryReport::Verdict::GaveUp, {}};
    report.delivery.attempts = ++delivery.attempts;
    switch (result.outcome) {
    case Outcome::Cancelled:
        m_breaker.release(permit); // it stays in the outbox as it was
        return;
    case Outcome::Delivered:
        m_breaker.onSuccess(permit, latency);
        m_outbox.remove(delivery);
        report.verdict = DeliveryReport::Verdict::Delivered;
        m_reporter(report);
        return;
    case Outcome::Permanent:
        // A refusal is an answer: the channel is up, it just will not take this.
        m_breaker.onSuccess(permit, latency);
        m_outbox.remove(delivery);
        m_reporter(report);
        if (result.disablesChannel)
            giveUpEverything(result.detail);
        return;
    case Outcome::Transient:
        break;
    }
    m_breaker.onFailure(permit, latency);
    if (std::chrono::system_clock::now() - delivery.queuedAt >= m_settings.maxAge) {
        report.attempt.detail = QStringLiteral("given up after %1 attempts: %2")
                                    .arg(delivery.attempts)
                                    .arg(result.detail);
        m_outbox.remove(delivery);
        m_reporter(report);
        return;
    }
    Duration delay = m_backoff.delay(delivery.attempts, m_jitter);
    if (result.retryAfter)
        delay = std::max<Duration>(delay, std::min<Duration>(*result.retryAfter, kMaxRetryAfter));
    (void)m_outbox.store(delivery); // the attempt count survives a restart
    report.verdict = DeliveryReport::Verdict::Retrying;
    report.retryIn = delay;
    m_reporter(report);
    std::lock_guard lock(m_mutex);
    m_queue.emplace(steady_clock::now() + delay, std::move(delivery));
}

void ChannelWorker::giveUpEverything(const QString& why)
{
    std::lock_guard lock(m_mutex);
    m_disabled = true;
    m_disabledWhy = why;
    // Whatever waits is refused at once, in order, by run().
    Queue waiting;
    waiting.swap(m_queue);
    const TimePoint now = steady_clock::now();
    for (auto& [due, delivery] : waiting)
        m_queue.emplace(now, std::move(delivery));
}

} // namespace breakwater
