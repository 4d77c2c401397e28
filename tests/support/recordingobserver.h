#pragma once

#include "retry/retryexecution.h"

#include <QStringList>

#include <optional>
#include <vector>

namespace breakwater::testing {

// Writes down everything a RetryExecution reports, as short lines a test can compare.
class RecordingObserver final : public RetryObserver
{
public:
    void attemptStarted(int attempt) override { lines << QStringLiteral("start %1").arg(attempt); }
    void attemptSucceeded(int attempt, Duration) override
    {
        lines << QStringLiteral("ok %1").arg(attempt);
    }
    void attemptFailed(int attempt, const ServiceError& error, Duration latency) override
    {
        lines << QStringLiteral("fail %1 %2").arg(attempt).arg(errorKindName(error.kind));
        latencies.push_back(latency);
    }
    void retryScheduled(int nextAttempt, Duration delay, const ServiceError&) override
    {
        lines << QStringLiteral("retry %1").arg(nextAttempt);
        delays.push_back(delay);
    }
    void finished(const RetryResult& r) override
    {
        lines << QStringLiteral("end %1").arg(retryEndingName(r.ending));
        result = r;
        ++finishedCount;
    }

    QStringList lines;
    std::vector<Duration> delays;
    std::vector<Duration> latencies;
    std::optional<RetryResult> result;
    int finishedCount = 0;
};

} // namespace breakwater::testing
