#include "circuitbreaker.h"

#include <cmath>

namespace breakwater {

namespace {
// The state word: everything a permission check or a half-open verdict needs, in one atomic.
constexpr int kPermitShift = 3;
constexpr int kSuccessShift = 16;
constexpr int kGenerationShift = 29;
constexpr std::uint64_t kCountMask = (std::uint64_t{1} << 13) - 1;
constexpr std::uint64_t kOnePermit = std::uint64_t{1} << kPermitShift;
constexpr std::uint64_t kOneSuccess = std::uint64_t{1} << kSuccessShift;

constexpr BreakerState stateOf(std::uint64_t word) noexcept
{
    return static_cast<BreakerState>(word & 7U);
}
constexpr int permitsOf(std::uint64_t word) noexcept
{
    return static_cast<int>((word >> kPermitShift) & kCountMask);
}
constexpr int successesOf(std::uint64_t word) noexcept
{
    return static_cast<int>((word >> kSuccessShift) & kCountMask);
}
constexpr std::uint64_t generationOf(std::uint64_t word) noexcept
{
    return word >> kGenerationShift;
}
constexpr std::uint64_t makeWord(BreakerState state, std::uint64_t generation, int permits) noexcept
{
    return (generation << kGenerationShift) |
           (static_cast<std::uint64_t>(permits) << kPermitShift) |
           static_cast<std::uint64_t>(state);
}
} // namespace

CircuitBreaker::CircuitBreaker(QString service, const BreakerConfig& config, Clock& clock)
    : m_service(std::move(service))
    , m_config(config)
    , m_clock(clock)
    , m_word(makeWord(BreakerState::Closed, 0, 0))
    , m_timeWindowSpanNs(
          std::chrono::duration_cast<Duration>(std::chrono::seconds(config.windowSize + 1)).count())
{
    if (config.windowKind == WindowKind::Count)
        m_countWindow.emplace(config.windowSize);
    else
        m_timeWindow.emplace(config.windowSize);
}

CircuitBreaker::~CircuitBreaker()
{
    disarmTimer();
}

void CircuitBreaker::setTransitionListener(TransitionListener listener)
{
    std::lock_guard lock(m_transitionMutex);
    m_listener = std::move(listener);
}

Permit CircuitBreaker::tryAcquire() noexcept
{
    std::uint64_t word = m_word.load(std::memory_order_acquire);
    for (;;) {
        const BreakerState state = stateOf(word);
        if (state != BreakerState::HalfOpen)
            return Permit{word, !rejectsCalls(state)};
        if (permitsOf(word) == 0)
            return Permit{word, false};
        if (m_word.compare_exchange_weak(word, word - kOnePermit, std::memory_order_acq_rel))
            return Permit{word, true};
    }
}

void CircuitBreaker::onSuccess(const Permit& permit, Duration latency) noexcept
{
    if (!permit)
        return;
    const std::uint64_t word = m_word.load(std::memory_order_acquire);
    if (generationOf(word) != generationOf(permit.word))
        return; // a result from before the last transition says nothing about the present
    const bool slow = isSlow(latency);
    switch (stateOf(word)) {
    case BreakerState::Closed:
        recordClosed(word, CallSample{false, slow});
        break;
    case BreakerState::HalfOpen:
        if (slow && m_config.slowCallRateThreshold > 0)
            transition(generationOf(word), BreakerState::Open, TransitionReason::HalfOpenCallSlow);
        else
            addHalfOpenSuccess(generationOf(word), TransitionReason::HalfOpenSucceeded);
        break;
    default:
        break;
    }
}

void CircuitBreaker::onFailure(const Permit& permit, Duration latency) noexcept
{
    if (!permit)
        return;
    const std::uint64_t word = m_word.load(std::memory_order_acquire);
    if (generationOf(word) != generationOf(permit.word))
        return;
    switch (stateOf(word)) {
    case BreakerState::Closed:
        recordClosed(word, CallSample{true, isSlow(latency)});
        break;
    case BreakerState::HalfOpen:
        transition(generationOf(word), BreakerState::Open, TransitionReason::HalfOpenCallFailed);
        break;
    default:
        break;
    }
}

void CircuitBreaker::release(const Permit& permit) noexcept
{
    if (!permit)
        return;
    std::uint64_t word = m_word.load(std::memory_order_acquire);
    while (stateOf(word) == BreakerState::HalfOpen &&
           generationOf(word) == generationOf(permit.word) &&
           permitsOf(word) < m_config.halfOpenPermits) {
        if (m_word.compare_exchange_weak(word, word + kOnePermit, std::memory_order_acq_rel))
            return;
    }
}

void CircuitBreaker::recordClosed(std::uint64_t word, CallSample sample) noexcept
{
    WindowCounts counts;
    TimePoint now;
    if (m_countWindow) {
        counts = m_countWindow->record(sample);
    } else {
        now = m_clock.coarseNow();
        m_timeWindow->record(sample, now);
    }

    int consecutive = 0;
    if (sample.failed)
        consecutive = m_consecutiveFailures.fetch_add(1, std::memory_order_relaxed) + 1;
    else if (m_consecutiveFailures.load(std::memory_order_relaxed) != 0)
        m_consecutiveFailures.store(0, std::memory_order_relaxed);

    // A success lowers no rate by itself, yet it can bring the window up to minimum_calls, and
    // in a time window older successes may just have slid out. So the verdict is taken again
    // whenever the window still holds a failure or a slow call; a clean window needs none. A time
    // window is summed for a success at most once per second, its own resolution: summing every
    // bucket on every call of a degraded service would cost more than the call itself.
    const bool bad = sample.failed || sample.slow;
    if (m_countWindow) {
        if (!bad && counts.failures == 0 && counts.slowCalls == 0)
            return;
    } else {
        if (!timeWindowNeedsVerdict(now, bad))
            return;
        counts = m_timeWindow->counts(now);
    }
    if (const auto reason = tripReason(counts, consecutive))
        transition(generationOf(word), BreakerState::Open, *reason);
}

bool CircuitBreaker::timeWindowNeedsVerdict(TimePoint now, bool bad) noexcept
{
    const std::int64_t nowNs = now.time_since_epoch().count();
    if (bad)
        m_lastBadNs.store(nowNs, std::memory_order_relaxed);
    else if (nowNs - m_lastBadNs.load(std::memory_order_relaxed) > m_timeWindowSpanNs)
        return false; // nothing bad left in the window
    const std::int64_t second = nowNs / 1'000'000'000;
    if (!bad && m_lastJudgedSecond.load(std::memory_order_relaxed) == second)
        return false;
    m_lastJudgedSecond.store(second, std::memory_order_relaxed);
    return true;
}

std::optional<TransitionReason> CircuitBreaker::tripReason(const WindowCounts& counts,
                                                           int consecutive) const noexcept
{
    if (m_config.consecutiveFailures > 0 && consecutive >= m_config.consecutiveFailures)
        return TransitionReason::ConsecutiveFailures;
    if (counts.calls < m_config.minimumCalls)
        return std::nullopt;
    const double calls = counts.calls;
    if (m_config.failureRateThreshold > 0 &&
        100.0 * counts.failures >= m_config.failureRateThreshold * calls)
        return TransitionReason::FailureRate;
    if (m_config.slowCallRateThreshold > 0 &&
        100.0 * counts.slowCalls >= m_config.slowCallRateThreshold * calls)
        return TransitionReason::SlowCallRate;
    return std::nullopt;
}

void CircuitBreaker::addHalfOpenSuccess(std::uint64_t generation, TransitionReason reason) noexcept
{
    std::uint64_t word = m_word.load(std::memory_order_acquire);
    while (stateOf(word) == BreakerState::HalfOpen && generationOf(word) == generation) {
        if (successesOf(word) >= m_config.halfOpenSuccesses)
            return; // enough already: the close is under way, and the field must not overflow
        if (!m_word.compare_exchange_weak(word, word + kOneSuccess, std::memory_order_acq_rel))
            continue;
        if (successesOf(word + kOneSuccess) >= m_config.halfOpenSuccesses)
            transition(generation, BreakerState::Closed, reason);
        return;
    }
}

void CircuitBreaker::onHealthProbe(std::uint64_t generation, bool healthy, bool closeOnHealthy)
{
    const std::uint64_t word = m_word.load(std::memory_order_acquire);
    if (generationOf(word) != generation)
        return; // the probe set out before the breaker last moved: its verdict is stale
    switch (stateOf(word)) {
    case BreakerState::Open:
        if (healthy)
            transition(generation, closeOnHealthy ? BreakerState::Closed : BreakerState::HalfOpen,
                       TransitionReason::HealthProbeSucceeded);
        break;
    case BreakerState::HalfOpen:
        if (!healthy)
            transition(generation, BreakerState::Open, TransitionReason::HealthProbeFailed);
        else if (closeOnHealthy)
            transition(generation, BreakerState::Closed, TransitionReason::HealthProbeSucceeded);
        else
            addHalfOpenSuccess(generation, TransitionReason::HalfOpenSucceeded);
        break;
    default:
        break;
    }
}

void CircuitBreaker::forceOpen()
{
    if (state() != BreakerState::ForcedOpen)
        transition(std::nullopt, BreakerState::ForcedOpen, TransitionReason::ForcedOpen);
}

void CircuitBreaker::disable()
{
    if (state() != BreakerState::Disabled)
        transition(std::nullopt, BreakerState::Disabled, TransitionReason::Disabled);
}

void CircuitBreaker::reset()
{
    std::lock_guard lock(m_transitionMutex);
    if (state() != BreakerState::Closed) {
        transition(std::nullopt, BreakerState::Closed, TransitionReason::ForcedClosed);
        return;
    }
    // Already closed: start afresh without a transition to report. A new generation drops the
    // results of calls permitted before the reset, as a transition would.
    clearWindow();
    m_tripsInARow = 0;
    std::uint64_t word = m_word.load(std::memory_order_acquire);
    while (!m_word.compare_exchange_weak(word,
                                         makeWord(BreakerState::Closed, generationOf(word) + 1, 0),
                                         std::memory_order_acq_rel)) {
    }
}

bool CircuitBreaker::transition(std::optional<std::uint64_t> generation, BreakerState to,
                                TransitionReason reason)
{
    std::lock_guard lock(m_transitionMutex);
    std::uint64_t word = m_word.load(std::memory_order_acquire);
    for (;;) {
        if (generation ? generationOf(word) != *generation : stateOf(word) == to)
            return false; // another thread got there first, or nothing to do
        BreakerTransition report{m_service,
                                 stateOf(word),
                                 to,
                                 reason,
                                 snapshot(),
                                 m_clock.now(),
                                 m_clock.wallNow(),
                                 {},
                                 generationOf(word) + 1};
        // Whatever readers of the new state rely on is made ready before the state is published.
        if (to == BreakerState::Closed)
            clearWindow();
        if (to == BreakerState::Open) {
            report.openWait = openWaitForTrip(m_tripsInARow + 1);
            m_openUntilNs.store((report.at + report.openWait).time_since_epoch().count(),
                                std::memory_order_relaxed);
        }
        const int permits = to == BreakerState::HalfOpen ? m_config.halfOpenPermits : 0;
        if (m_word.compare_exchange_strong(word, makeWord(to, report.generation, permits),
                                           std::memory_order_acq_rel)) {
            enter(report);
            return true;
        }
        // The word changed under us: a permit was taken or a trial success counted. Look again.
    }
}

void CircuitBreaker::enter(BreakerTransition& report)
{
    switch (report.to) {
    case BreakerState::Open:
        ++m_tripsInARow;
        armTimer(report.openWait, report.generation, BreakerState::HalfOpen,
                 TransitionReason::OpenWaitElapsed);
        break;
    case BreakerState::HalfOpen:
        if (m_config.maxHalfOpenWait > Duration::zero())
            armTimer(m_config.maxHalfOpenWait, report.generation, BreakerState::Open,
                     TransitionReason::HalfOpenTimedOut);
        else
            disarmTimer();
        break;
    case BreakerState::Closed:
        m_tripsInARow = 0;
        disarmTimer();
        break;
    case BreakerState::ForcedOpen:
    case BreakerState::Disabled:
        disarmTimer();
        break;
    }
    m_last = report;
    if (m_listener)
        m_listener(report);
}

void CircuitBreaker::armTimer(Duration delay, std::uint64_t generation, BreakerState to,
                              TransitionReason reason)
{
    // The generation makes a timer that outlives its state harmless, so cancelling is hygiene.
    const TimerId id = m_clock.schedule(
        delay, [this, generation, to, reason] { transition(generation, to, reason); });
    if (const TimerId previous = m_timer.exchange(id))
        m_clock.cancel(previous);
}

void CircuitBreaker::disarmTimer() noexcept
{
    if (const TimerId previous = m_timer.exchange(0))
        m_clock.cancel(previous);
}

std::uint64_t CircuitBreaker::generation() const noexcept
{
    return generationOf(m_word.load(std::memory_order_acquire));
}

BreakerState CircuitBreaker::state() const noexcept
{
    return stateOf(m_word.load(std::memory_order_acquire));
}

BreakerStatus CircuitBreaker::status() const noexcept
{
    const std::uint64_t word = m_word.load(std::memory_order_acquire);
    BreakerStatus status;
    status.state = stateOf(word);
    status.window = windowCounts();
    status.consecutiveFailures = m_consecutiveFailures.load(std::memory_order_relaxed);
    status.openUntil = TimePoint(Duration(m_openUntilNs.load(std::memory_order_relaxed)));
    status.halfOpenPermitsLeft = permitsOf(word);
    status.halfOpenSuccesses = successesOf(word);
    status.generation = generationOf(word);
    return status;
}

std::optional<BreakerTransition> CircuitBreaker::lastTransition() const
{
    std::lock_guard lock(m_transitionMutex);
    return m_last;
}

void CircuitBreaker::clearWindow() noexcept
{
    if (m_countWindow)
        m_countWindow->reset();
    else
        m_timeWindow->reset();
    m_consecutiveFailures.store(0, std::memory_order_relaxed);
}

WindowCounts CircuitBreaker::windowCounts() const noexcept
{
    return m_countWindow ? m_countWindow->counts() : m_timeWindow->counts(m_clock.coarseNow());
}

WindowSnapshot CircuitBreaker::snapshot() const noexcept
{
    WindowSnapshot s;
    s.counts = windowCounts();
    s.consecutiveFailures = m_consecutiveFailures.load(std::memory_order_relaxed);
    s.windowKind = m_config.windowKind;
    s.windowSize = m_config.windowSize;
    s.minimumCalls = m_config.minimumCalls;
    s.consecutiveFailureThreshold = m_config.consecutiveFailures;
    s.failureRateThreshold = m_config.failureRateThreshold;
    s.slowCallRateThreshold = m_config.slowCallRateThreshold;
    return s;
}

Duration CircuitBreaker::openWaitForTrip(int trip) const noexcept
{
    const double factor = std::pow(m_config.openWaitMultiplier, std::max(trip - 1, 0));
    const double wait = static_cast<double>(m_config.openWait.count()) * factor;
    const double cap = static_cast<double>(m_config.maxOpenWait.count());
    return Duration(static_cast<std::int64_t>(std::min(wait, cap)));
}

bool CircuitBreaker::isSlow(Duration latency) const noexcept
{
    return m_config.slowCallDuration > Duration::zero() && latency >= m_config.slowCallDuration;
}

} // namespace breakwater
