#pragma once

#include "breakerconfig.h"
#include "breakertransition.h"
#include "countwindow.h"
#include "timewindow.h"

#include <QString>

#include <atomic>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>

namespace breakwater {

// Permission to make one call, to be handed back with its result. It remembers the breaker's
// generation, so a result that arrives after the breaker has moved on is dropped, not applied.
struct Permit
{
    std::uint64_t word = 0;
    bool granted = false;
    explicit operator bool() const noexcept { return granted; }
};

// What a dashboard or a log wants to know about a breaker right now.
struct BreakerStatus
{
    BreakerState state = BreakerState::Closed;
    WindowCounts window;
    int consecutiveFailures = 0;
    TimePoint openUntil;         // meaningful while Open
    int halfOpenPermitsLeft = 0; // meaningful while HalfOpen
    int halfOpenSuccesses = 0;
    std::uint64_t generation = 0;
};

// A circuit breaker for one service. Thread-safe: any thread may ask for permits and record
// results. Asking and recording take no lock while Closed or Open: the state, the generation and
// the half-open bookkeeping share one atomic word, and the sliding windows are lock-free. Only
// transitions, which are rare, serialise on a mutex, so their reports come out in order.
//
// Time-driven transitions (Open -> HalfOpen after the open wait, the half-open watchdog) run on
// the clock's timers. Destroy a breaker on the clock's timer thread, or once the clock is idle.
class CircuitBreaker final
{
public:
    using TransitionListener = std::function<void(const BreakerTransition&)>;

    // config must be valid (see validateBreakerConfig).
    CircuitBreaker(QString service, const BreakerConfig& config, Clock& clock);
    ~CircuitBreaker();
    CircuitBreaker(const CircuitBreaker&) = delete;
    CircuitBreaker& operator=(const CircuitBreaker&) = delete;

    // Called on the transitioning thread, in order, while transitions are held off: keep it short
    // and do not block in it. Set it before the breaker is shared between threads.
    void setTransitionListener(TransitionListener listener);

    Permit tryAcquire() noexcept;
    void onSuccess(const Permit& permit, Duration latency) noexcept;
    void onFailure(const Permit& permit, Duration latency) noexcept;
    // Hands a permit back unused: the call was cancelled or failed for reasons of its own.
    void release(const Permit& permit) noexcept;

    // A health probe's verdict, for the generation the breaker had when the probe set out (a
    // verdict from an earlier generation is dropped). While Open a healthy probe starts the trial
    // (or closes the breaker when closeOnHealthy is set); while HalfOpen it counts as a trial
    // success and a failed probe reopens. Probes never change Closed or an operator's state.
    void onHealthProbe(std::uint64_t generation, bool healthy, bool closeOnHealthy = false);

    // Operator actions.
    void forceOpen();
    void reset(); // to Closed with an empty window, from any state
    void disable();

    BreakerState state() const noexcept;
    // Grows with every transition and with a reset: results and verdicts carry it to be judged.
    std::uint64_t generation() const noexcept;
    BreakerStatus status() const noexcept;
    std::optional<BreakerTransition> lastTransition() const;
    const QString& service() const noexcept { return m_service; }
    const BreakerConfig& config() const noexcept { return m_config; }

private:
    void recordClosed(std::uint64_t word, CallSample sample) noexcept;
    bool timeWindowNeedsVerdict(TimePoint now, bool bad) noexcept;
    std::optional<TransitionReason> tripReason(const WindowCounts& counts,
                                               int consecutive) const noexcept;
    void addHalfOpenSuccess(std::uint64_t generation, TransitionReason reason) noexcept;
    bool transition(std::optional<std::uint64_t> generation, BreakerState to,
                    TransitionReason reason);
    void enter(BreakerTransition& report);
    void armTimer(Duration delay, std::uint64_t generation, BreakerState to,
                  TransitionReason reason);
    void disarmTimer() noexcept;
    void clearWindow() noexcept; // the window and the consecutive-failure count
    WindowCounts windowCounts() const noexcept;
    WindowSnapshot snapshot() const noexcept;
    Duration openWaitForTrip(int trip) const noexcept;
    bool isSlow(Duration latency) const noexcept;

    const QString m_service;
    const BreakerConfig m_config;
    Clock& m_clock;
    std::optional<CountWindow> m_countWindow;
    std::optional<TimeWindow> m_timeWindow;

    // [generation:35][half-open successes:13][half-open permits left:13][state:3]
    alignas(64) std::atomic<std::uint64_t> m_word;
    alignas(64) std::atomic<int> m_consecutiveFailures{0};
    std::atomic<std::int64_t> m_openUntilNs{0};
    // Time windows only: when the last failure or slow call was recorded, and how long such a
    // call stays in the window (a whole bucket more than its size).
    std::atomic<std::int64_t> m_lastBadNs{std::numeric_limits<std::int64_t>::min() / 2};
    const std::int64_t m_timeWindowSpanNs;
    std::atomic<std::int64_t> m_lastJudgedSecond{-1};
    std::atomic<TimerId> m_timer{0};

    mutable std::recursive_mutex m_transitionMutex; // a listener may act on the breaker again
    int m_tripsInARow = 0;                          // guarded by m_transitionMutex
    std::optional<BreakerTransition> m_last;        // guarded by m_transitionMutex
    TransitionListener m_listener;
};

} // namespace breakwater
