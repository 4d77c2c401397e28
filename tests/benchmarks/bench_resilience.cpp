// The resilience core's hot paths, with the machine's own reference costs (an atomic load, a
// mutex, a clock read) measured in the same run so that figures can be compared as ratios.

#include "allocationcounter.h"
#include "breaker/circuitbreaker.h"
#include "clock/manualclock.h"
#include "clock/systemclock.h"
#include "retry/retryexecution.h"

#include <benchmark/benchmark.h>
#include <mutex>

using namespace std::chrono_literals;
using namespace breakwater;

namespace {

BreakerConfig benchConfig(WindowKind kind)
{
    BreakerConfig config;
    config.windowKind = kind;
    config.windowSize = kind == WindowKind::Count ? 100 : 60;
    config.minimumCalls = 20;
    config.slowCallRateThreshold = 80;
    config.slowCallDuration = 2s;
    return config;
}

// Reports heap allocations per iteration next to the time: the hot paths must show 0.
class AllocationsPerIteration
{
public:
    explicit AllocationsPerIteration(benchmark::State& state)
        : m_state(state)
        , m_before(bench::allocationCount())
    {}
    ~AllocationsPerIteration()
    {
        m_state.counters["allocs/iter"] =
            benchmark::Counter(static_cast<double>(bench::allocationCount() - m_before),
                               benchmark::Counter::kAvgIterations);
    }

private:
    benchmark::State& m_state;
    std::uint64_t m_before;
};

// --- Reference costs on this machine -------------------------------------------------------

void BM_Reference_AtomicLoad(benchmark::State& state)
{
    std::atomic<std::uint64_t> value{42};
    for (auto _ : state)
        benchmark::DoNotOptimize(value.load(std::memory_order_acquire));
}
BENCHMARK(BM_Reference_AtomicLoad);

void BM_Reference_UncontendedMutex(benchmark::State& state)
{
    std::mutex mutex;
    int value = 0;
    for (auto _ : state) {
        std::lock_guard lock(mutex);
        benchmark::DoNotOptimize(++value);
    }
}
BENCHMARK(BM_Reference_UncontendedMutex);

void BM_Reference_SteadyClockNow(benchmark::State& state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(std::chrono::steady_clock::now());
}
BENCHMARK(BM_Reference_SteadyClockNow);

// --- Circuit breaker -----------------------------------------------------------------------

// Permission check plus a success recorded, on a closed breaker.
void recordSuccesses(benchmark::State& state, CircuitBreaker& breaker)
{
    for (auto _ : state) {
        const Permit permit = breaker.tryAcquire();
        breaker.onSuccess(permit, 5ms);
        benchmark::DoNotOptimize(permit);
    }
}

void breakerClosedSuccess(benchmark::State& state, WindowKind kind)
{
    SystemClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), benchConfig(kind), clock);
    AllocationsPerIteration allocations(state);
    recordSuccesses(state, breaker);
}

void BM_Breaker_ClosedSuccess_CountWindow(benchmark::State& state)
{
    breakerClosedSuccess(state, WindowKind::Count);
}
BENCHMARK(BM_Breaker_ClosedSuccess_CountWindow);

void BM_Breaker_ClosedSuccess_TimeWindow(benchmark::State& state)
{
    breakerClosedSuccess(state, WindowKind::Time);
}
BENCHMARK(BM_Breaker_ClosedSuccess_TimeWindow);

// The same with 2% of calls failing and 1% slow, so the window's slots and totals really churn.
void breakerClosedMixed(benchmark::State& state, WindowKind kind)
{
    SystemClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), benchConfig(kind), clock);
    AllocationsPerIteration allocations(state);
    std::uint32_t i = 0;
    for (auto _ : state) {
        const Permit permit = breaker.tryAcquire();
        ++i;
        if (i % 50 == 0)
            breaker.onFailure(permit, 5ms);
        else
            breaker.onSuccess(permit, i % 100 == 1 ? 3s : 5ms);
    }
    if (breaker.state() != BreakerState::Closed)
        state.SkipWithError("the breaker tripped: the figures would measure rejections");
}

void BM_Breaker_ClosedMixed_CountWindow(benchmark::State& state)
{
    breakerClosedMixed(state, WindowKind::Count);
}
BENCHMARK(BM_Breaker_ClosedMixed_CountWindow);

void BM_Breaker_ClosedMixed_TimeWindow(benchmark::State& state)
{
    breakerClosedMixed(state, WindowKind::Time);
}
BENCHMARK(BM_Breaker_ClosedMixed_TimeWindow);

void BM_Breaker_RejectWhileOpen(benchmark::State& state)
{
    SystemClock clock;
    BreakerConfig config = benchConfig(WindowKind::Count);
    config.openWait = 1h;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    breaker.forceOpen();
    AllocationsPerIteration allocations(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(breaker.tryAcquire());
}
BENCHMARK(BM_Breaker_RejectWhileOpen);

// Two threads hammering one breaker: compare the per-call time with the single-thread figure.
CircuitBreaker& sharedBreaker(WindowKind kind)
{
    static SystemClock clock;
    static CircuitBreaker count(QStringLiteral("count"), benchConfig(WindowKind::Count), clock);
    static CircuitBreaker time(QStringLiteral("time"), benchConfig(WindowKind::Time), clock);
    return kind == WindowKind::Count ? count : time;
}

void BM_Breaker_Contended_CountWindow(benchmark::State& state)
{
    recordSuccesses(state, sharedBreaker(WindowKind::Count));
}
BENCHMARK(BM_Breaker_Contended_CountWindow)->Threads(1)->Threads(2)->UseRealTime();

void BM_Breaker_Contended_TimeWindow(benchmark::State& state)
{
    recordSuccesses(state, sharedBreaker(WindowKind::Time));
}
BENCHMARK(BM_Breaker_Contended_TimeWindow)->Threads(1)->Threads(2)->UseRealTime();

// --- Backoff -------------------------------------------------------------------------------

void BM_Backoff_Delay(benchmark::State& state)
{
    BackoffConfig config;
    config.kind = static_cast<BackoffKind>(state.range(0));
    config.base = 100ms;
    config.cap = 30s;
    const Backoff backoff(config);
    BackoffState backoffState(7);
    int retry = 0;
    for (auto _ : state) {
        retry = retry == 8 ? 1 : retry + 1;
        benchmark::DoNotOptimize(backoff.delay(retry, backoffState));
    }
    state.SetLabel(backoffKindName(config.kind).toStdString());
}
BENCHMARK(BM_Backoff_Delay)->DenseRange(0, static_cast<int>(BackoffKind::DecorrelatedJitter));

// --- Retry executor + breaker around a synchronous success ---------------------------------

class NullObserver final : public RetryObserver
{
public:
    void finished(const RetryResult& result) override { benchmark::DoNotOptimize(result.attempts); }
};

template <typename ClockType> void retryAroundSuccess(benchmark::State& state)
{
    ClockType clock;
    CircuitBreaker breaker(QStringLiteral("tts"), benchConfig(WindowKind::Count), clock);
    RetryBudget budget;
    const RetryPolicy policy;
    NullObserver observer;
    AllocationsPerIteration allocations(state);
    for (auto _ : state) {
        RetryExecution execution(policy, clock, observer, &breaker, &budget);
        execution.start([&execution](int attempt) { execution.succeed(attempt); });
        benchmark::DoNotOptimize(execution.isFinished());
    }
}

// The executor's own cost: the manual clock's reads are plain atomic loads.
void BM_Retry_BreakerSyncSuccess_ManualClock(benchmark::State& state)
{
    retryAroundSuccess<ManualClock>(state);
}
BENCHMARK(BM_Retry_BreakerSyncSuccess_ManualClock);

// As deployed: two steady_clock reads per attempt measure its latency.
void BM_Retry_BreakerSyncSuccess_SystemClock(benchmark::State& state)
{
    retryAroundSuccess<SystemClock>(state);
}
BENCHMARK(BM_Retry_BreakerSyncSuccess_SystemClock);

// --- Footprint -----------------------------------------------------------------------------

// A breaker's memory is fixed by its window: a million calls later it holds no more than before.
void BM_Breaker_FootprintAfterMillionCalls(benchmark::State& state)
{
    for (auto _ : state) {
        ManualClock clock;
        CircuitBreaker breaker(QStringLiteral("tts"), benchConfig(WindowKind::Count), clock);
        const std::uint64_t before = bench::allocationCount();
        for (int i = 0; i < 1'000'000; ++i) {
            const Permit permit = breaker.tryAcquire();
            if (i % 10 == 0)
                breaker.onFailure(permit, 1ms);
            else
                breaker.onSuccess(permit, 1ms);
        }
        state.counters["allocs per 1M calls"] =
            static_cast<double>(bench::allocationCount() - before);
    }
    state.counters["bytes (window 100)"] =
        static_cast<double>(sizeof(CircuitBreaker) + 100 * sizeof(std::uint32_t));
}
BENCHMARK(BM_Breaker_FootprintAfterMillionCalls)->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
