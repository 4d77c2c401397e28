#pragma once

#include "breaker/circuitbreaker.h"
#include "clock/systemclock.h"
#include "health/healthchecker.h"
#include "retry/retryexecution.h"
#include "storyservice.h"

#include <QObject>
#include <QTextStream>

#include <map>
#include <memory>
#include <set>

namespace breakwater::demo {

// Tells the circuit breaker's story in about fifteen seconds of real time: healthy calls, an
// outage with retries, the breaker opening and skipping calls, the service coming back, a health
// probe letting trial calls through, and the breaker closing. Emits finished(exitCode): 0 when
// the breaker went open -> half_open -> closed as it should.
class BreakerStory final : public QObject
{
    Q_OBJECT

public:
    explicit BreakerStory(QObject* parent = nullptr);
    ~BreakerStory() override;

    void start();

signals:
    void finished(int exitCode);

private:
    class CallObserver;

    void placeCall();
    void callFinished(int id, const RetryResult& result);
    void say(const QString& line);
    void finish();

    SystemClock m_clock;
    StoryService m_service;
    RetryPolicy m_policy;
    RetryBudget m_budget;
    CircuitBreaker m_breaker;
    HealthChecker m_health;
    QTextStream m_out;
    TimePoint m_start;
    int m_nextCall = 0;
    std::map<int, std::unique_ptr<CallObserver>> m_observers;
    std::map<int, std::unique_ptr<RetryExecution>> m_calls;
    std::set<BreakerState> m_statesSeen;
};

} // namespace breakwater::demo
