#include "retry/attemptsdistribution.h"
#include "retry/retrytrackermodel.h"
#include "retryalertevents.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <vector>

using namespace breakwater;
using namespace breakwater::retryalerttest;
using namespace std::chrono_literals;
using Column = RetryTrackerModel::Column;

namespace {

QString text(const RetryTrackerModel& model, int row, Column column)
{
    return model.data(model.index(row, column)).toString();
}

quint64 callIdAt(const RetryTrackerModel& model, int row)
{
    return model.data(model.index(row, 0), RetryTrackerModel::CallIdRole).value<quint64>();
}

std::vector<quint64> shownCalls(const RetryTrackerModel& model)
{
    std::vector<quint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.push_back(callIdAt(model, row));
    return ids;
}

// A call that fails its first attempt with a 503 and is told to retry: how every row begins.
std::vector<Event> enterRetry(std::uint64_t callId, std::chrono::milliseconds offset)
{
    return {callEvent(EventType::CallStarted, callId, 0, offset),
            callEvent(EventType::AttemptStarted, callId, 1, offset),
            failedAttempt(callId, 1, offset + 10ms, 503),
            retryScheduled(callId, 2, offset + 10ms, 250, 503)};
}

void append(RetryTrackerModel& model, const std::vector<Event>& events)
{
    model.appendEvents(std::span<const Event>(events));
}

} // namespace

class TestRetryTrackerModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headers()
    {
        RetryTrackerModel model;
        QCOMPARE(model.columnCount(), int(RetryTrackerModel::ColumnCount));
        QCOMPARE(model.headerData(Column::CallColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Call"));
        QCOMPARE(model.headerData(Column::StatusColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Status"));
        QCOMPARE(model.headerData(Column::ErrorsColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Errors"));
        QCOMPARE(model.headerData(Column::DelaysColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Scheduled delays"));
        QCOMPARE(model.headerData(Column::LastUpdateColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Last update"));
    }

    void firstTrySuccessesNeverEnter()
    {
        RetryTrackerModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (std::uint64_t id = 1; id <= 100; ++id)
            append(model, firstTrySuccess(id, std::chrono::milliseconds(id * 10)));
        QCOMPARE(model.rowCount(), 0);
    }

    void twoRetriesThenSuccess()
    {
        RetryTrackerModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        append(model, enterRetry(42, 90ms));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(text(model, 0, Column::CallColumn), QStringLiteral("call-42"));
        QCOMPARE(text(model, 0, Column::ServiceColumn), QStringLiteral("elevenlabs"));
        QCOMPARE(text(model, 0, Column::StatusColumn), QStringLiteral("waiting 250 ms"));
        QCOMPARE(model.data(model.index(0, Column::AttemptsColumn)).toInt(), 1);
        QCOMPARE(text(model, 0, Column::ErrorsColumn), QStringLiteral("503"));
        QCOMPARE(text(model, 0, Column::DelaysColumn), QStringLiteral("250 ms"));
        QCOMPARE(text(model, 0, Column::LastUpdateColumn), QStringLiteral("10:00:00.100"));
        QVERIFY(model.data(model.index(0, 0), RetryTrackerModel::IsActiveRole).toBool());

        append(model, {callEvent(EventType::AttemptStarted, 42, 2, 350ms),
                       failedAttempt(42, 2, 450ms, 503), retryScheduled(42, 3, 450ms, 520, 503)});
        QCOMPARE(text(model, 0, Column::StatusColumn), QStringLiteral("waiting 520 ms"));
        QCOMPARE(text(model, 0, Column::ErrorsColumn), QStringLiteral("503, 503"));
        QCOMPARE(text(model, 0, Column::DelaysColumn), QStringLiteral("250 ms, 520 ms"));
        QCOMPARE(model.data(model.index(0, Column::AttemptsColumn)).toInt(), 2);

        changed.clear();
        append(model, {callEvent(EventType::AttemptStarted, 42, 3, 970ms)});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(text(model, 0, Column::StatusColumn), QStringLiteral("retrying (attempt 3)"));
        QCOMPARE(model.data(model.index(0, Column::AttemptsColumn)).toInt(), 3);

        append(model, {callEvent(EventType::AttemptSucceeded, 42, 3, 1010ms),
                       ended(EventType::CallSucceeded, 42, 3, 1010ms,
                             QStringLiteral("succeeded_after_retry"))});
        QCOMPARE(model.activeCount(), 0);
        QCOMPARE(model.finishedCount(), 1);
        QCOMPARE(text(model, 0, Column::StatusColumn), QStringLiteral("succeeded"));
        QCOMPARE(text(model, 0, Column::ErrorsColumn), QStringLiteral("503, 503"));
        QCOMPARE(text(model, 0, Column::DelaysColumn), QStringLiteral("250 ms, 520 ms"));
        QCOMPARE(model.data(model.index(0, Column::AttemptsColumn)).toInt(), 3);
        QCOMPARE(text(model, 0, Column::LastUpdateColumn), QStringLiteral("10:00:01.010"));
        QVERIFY(!model.data(model.index(0, 0), RetryTrackerModel::IsActiveRole).toBool());
        QCOMPARE(model.data(model.index(0, 0), RetryTrackerModel::EndingRole).toInt(),
                 int(CallEnding::Succeeded));
        QVERIFY(model.data(model.index(0, Column::ErrorsColumn), Qt::ToolTipRole)
                    .toString()
                    .contains(u"attempt 2: 503"));
    }

    void failsAfterExhaustingRetries()
    {
        RetryTrackerModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<Event> events = enterRetry(7, 0ms);
        Event quota = failedAttempt(7, 3, 900ms, 429, QStringLiteral("Too Many Requests"));
        quota.errorCode = QStringLiteral("too_many_concurrent_requests");
        Event last = ended(EventType::CallFailed, 7, 3, 900ms, QStringLiteral("retries_exhausted"));
        last.level = EventLevel::Error;
        events.insert(events.end(),
                      {callEvent(EventType::AttemptStarted, 7, 2, 260ms),
                       timedOutAttempt(7, 2, 400ms), retryScheduled(7, 3, 400ms, 480, 0),
                       callEvent(EventType::AttemptStarted, 7, 3, 880ms), quota, last});
        // Entered and ended within one batch: straight to the finished part.
        append(model, events);
        QCOMPARE(model.activeCount(), 0);
        QCOMPARE(model.finishedCount(), 1);
        QCOMPARE(text(model, 0, Column::StatusColumn),
                 QStringLiteral("failed (retries exhausted)"));
        QCOMPARE(text(model, 0, Column::ErrorsColumn), QStringLiteral("503, timeout, 429"));
        QCOMPARE(text(model, 0, Column::DelaysColumn), QStringLiteral("250 ms, 480 ms"));
        QCOMPARE(model.data(model.index(0, Column::AttemptsColumn)).toInt(), 3);
        QCOMPARE(model.data(model.index(0, 0), RetryTrackerModel::EndingRole).toInt(),
                 int(CallEnding::Failed));
    }

    void endedWhileWaiting_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("ending");
        QTest::addRow("skipped") << int(EventType::CallSkipped)
                                 << QStringLiteral("skipped (breaker open)")
                                 << int(CallEnding::Skipped);
        // What the pipeline publishes when an opening breaker ends a pending retry.
        QTest::addRow("failed by breaker")
            << int(EventType::CallFailed) << QStringLiteral("failed (breaker open)")
            << int(CallEnding::Failed);
    }

    void endedWhileWaiting()
    {
        QFETCH(int, type);
        QFETCH(QString, status);
        QFETCH(int, ending);
        RetryTrackerModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        append(model, enterRetry(9, 0ms));
        QCOMPARE(text(model, 0, Column::StatusColumn), QStringLiteral("waiting 250 ms"));
        Event end = ended(EventType(type), 9, 1, 120ms, QStringLiteral("breaker_open"));
        end.errorKind = ErrorKind::Rejected;
        append(model, {end});
        QCOMPARE(model.activeCount(), 0);
        QCOMPARE(text(model, 0, Column::StatusColumn), status);
        QCOMPARE(text(model, 0, Column::ErrorsColumn), QStringLiteral("503"));
        QCOMPARE(text(model, 0, Column::DelaysColumn), QStringLiteral("250 ms"));
        QCOMPARE(model.data(model.index(0, 0), RetryTrackerModel::EndingRole).toInt(), ending);
    }

    void retryingFirstThenRecentlyFinished()
    {
        RetryTrackerModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (std::uint64_t id = 1; id <= 3; ++id)
            append(model, enterRetry(id, std::chrono::milliseconds(id * 100)));
        QCOMPARE(shownCalls(model), (std::vector<quint64>{3, 2, 1}));
        append(model, {ended(EventType::CallSucceeded, 1, 2, 600ms)});
        append(model,
               {ended(EventType::CallFailed, 3, 2, 700ms, QStringLiteral("permanent_error"))});
        QCOMPARE(shownCalls(model), (std::vector<quint64>{2, 3, 1}));
        QCOMPARE(model.activeCount(), 1);
        // An update keeps the row where it is.
        append(model, {callEvent(EventType::AttemptStarted, 2, 2, 800ms)});
        QCOMPARE(shownCalls(model), (std::vector<quint64>{2, 3, 1}));
    }

    void oneSignalPerChangeInABatch()
    {
        RetryTrackerModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        std::vector<Event> batch;
        for (std::uint64_t id = 1; id <= 5; ++id) {
            const std::vector<Event> call = enterRetry(id, std::chrono::milliseconds(id));
            batch.insert(batch.end(), call.begin(), call.end());
        }
        append(model, batch);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 4);

        // Three updates, interleaved: one dataChanged over the rows they span.
        inserted.clear();
        append(model, {callEvent(EventType::AttemptStarted, 4, 2, 300ms),
                       callEvent(EventType::AttemptStarted, 2, 2, 300ms),
                       callEvent(EventType::AttemptStarted, 4, 2, 301ms),
                       callEvent(EventType::AttemptStarted, 3, 2, 302ms)});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 3);
        QCOMPARE(inserted.count(), 0);

        // The three oldest end (adjacent rows): one removal, one insertion.
        append(model, {ended(EventType::CallSucceeded, 1, 2, 400ms),
                       ended(EventType::CallSucceeded, 3, 2, 401ms),
                       ended(EventType::CallSucceeded, 2, 2, 402ms)});
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(shownCalls(model), (std::vector<quint64>{5, 4, 2, 3, 1}));
    }

    void boundsDropTheOldest()
    {
        RetryTrackerModel model(3, 2);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<Event> batch;
        for (std::uint64_t id = 1; id <= 5; ++id) {
            const std::vector<Event> call = enterRetry(id, std::chrono::milliseconds(id));
            batch.insert(batch.end(), call.begin(), call.end());
        }
        append(model, batch);
        QCOMPARE(shownCalls(model), (std::vector<quint64>{5, 4, 3}));
        QCOMPARE(model.droppedActiveCount(), 2u);

        append(model, enterRetry(6, 100ms));
        QCOMPARE(shownCalls(model), (std::vector<quint64>{6, 5, 4}));
        QCOMPARE(model.droppedActiveCount(), 3u);

        // A dropped call's later events change nothing.
        append(model, {callEvent(EventType::AttemptStarted, 1, 2, 200ms),
                       ended(EventType::CallSucceeded, 1, 2, 210ms)});
        QCOMPARE(shownCalls(model), (std::vector<quint64>{6, 5, 4}));

        append(model, {ended(EventType::CallSucceeded, 4, 2, 300ms),
                       ended(EventType::CallSucceeded, 5, 2, 301ms),
                       ended(EventType::CallSucceeded, 6, 2, 302ms)});
        QCOMPARE(model.activeCount(), 0);
        QCOMPARE(shownCalls(model), (std::vector<quint64>{6, 5}));
        QCOMPARE(model.evictedFinishedCount(), 1u);

        append(model, enterRetry(7, 400ms));
        append(model, {ended(EventType::CallFailed, 7, 2, 500ms)});
        QCOMPARE(shownCalls(model), (std::vector<quint64>{7, 6}));
        QCOMPARE(model.evictedFinishedCount(), 2u);
    }

    void errorLabels_data()
    {
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("label");
        QTest::addRow("status") << 503 << QStringLiteral("service_unavailable")
                                << QStringLiteral("Service Unavailable") << QStringLiteral("503");
        QTest::addRow("vendor code") << 0 << QStringLiteral("quota_exceeded") << QStringLiteral("")
                                     << QStringLiteral("quota_exceeded");
        QTest::addRow("timeout") << 0 << QStringLiteral("")
                                 << QStringLiteral("attempt 2 timed out after 5000 ms")
                                 << QStringLiteral("timeout");
        QTest::addRow("network") << 0 << QStringLiteral("") << QStringLiteral("connection refused")
                                 << QStringLiteral("connection refused");
        QTest::addRow("kind only")
            << 0 << QStringLiteral("") << QStringLiteral("") << QStringLiteral("transient");
    }

    void errorLabels()
    {
        QFETCH(int, httpStatus);
        QFETCH(QString, code);
        QFETCH(QString, message);
        QFETCH(QString, label);
        Event e = failedAttempt(1, 1, 0ms, httpStatus, message);
        e.errorCode = code;
        QCOMPARE(attemptErrorLabel(e), label);
    }

    void distributionCountsEveryEndedCall()
    {
        AttemptsDistribution distribution(std::chrono::minutes(5));
        std::vector<Event> events;
        for (std::uint64_t id = 1; id <= 10; ++id) {
            const std::vector<Event> call = firstTrySuccess(id, std::chrono::milliseconds(id));
            events.insert(events.end(), call.begin(), call.end());
        }
        events.push_back(ended(EventType::CallSucceeded, 42, 3, 2s));
        events.push_back(ended(EventType::CallFailed, 7, 3, 3s));
        events.push_back(ended(EventType::CallSkipped, 9, 1, 4s));
        events.push_back(ended(EventType::CallSkipped, 11, 0, 5s)); // never attempted
        events.push_back(ended(EventType::CallFailed, 12, 6, 6s));  // 5+
        events.push_back(ended(EventType::CallDegraded, 13, 2, 7s));
        distribution.appendEvents(std::span<const Event>(events));

        const AttemptsDistribution::Counts counts = distribution.countsWithin(at(10s));
        const auto count = [&](int attempts, CallEnding ending) {
            return counts[std::size_t(AttemptsDistribution::bucketOf(attempts))]
                         [std::size_t(ending)];
        };
        QCOMPARE(count(1, CallEnding::Succeeded), 10u);
        QCOMPARE(count(1, CallEnding::Skipped), 1u);
        QCOMPARE(count(2, CallEnding::Degraded), 1u);
        QCOMPARE(count(3, CallEnding::Succeeded), 1u);
        QCOMPARE(count(3, CallEnding::Failed), 1u);
        QCOMPARE(count(5, CallEnding::Failed), 1u);
        QCOMPARE(AttemptsDistribution::retriedCalls(counts), 4u);
        QCOMPARE(AttemptsDistribution::callsIn(counts, 0), 11u);
        QCOMPARE(distribution.endedWithoutAttemptTotal(), 1u);
        QVERIFY(distribution.totals() == counts);
        QCOMPARE(AttemptsDistribution::bucketLabel(4), QStringLiteral("5+"));
    }

    void distributionSlidesItsWindow()
    {
        AttemptsDistribution distribution(std::chrono::minutes(5));
        const std::vector<Event> events{ended(EventType::CallSucceeded, 1, 2, 0s),
                                        ended(EventType::CallSucceeded, 2, 2, 200s),
                                        ended(EventType::CallFailed, 3, 4, 299s)};
        distribution.appendEvents(std::span<const Event>(events));
        const auto retried = [&](std::chrono::seconds now) {
            return AttemptsDistribution::retriedCalls(distribution.countsWithin(at(now)));
        };
        QCOMPARE(retried(299s), 3u);
        QCOMPARE(retried(300s), 2u); // the first one is five minutes old
        QCOMPARE(retried(499s), 2u);
        QCOMPARE(retried(500s), 1u);
        QCOMPARE(retried(600s), 0u);

        // A second later than a full window reuses the ring's slot; the totals keep everything.
        const std::vector<Event> later{ended(EventType::CallSucceeded, 4, 3, 500s)};
        distribution.appendEvents(std::span<const Event>(later));
        QCOMPARE(retried(500s), 2u);
        QCOMPARE(AttemptsDistribution::retriedCalls(distribution.totals()), 4u);
        // Too late for the slot it would land in: counted in the totals only.
        const std::vector<Event> stale{ended(EventType::CallSucceeded, 5, 2, 200s)};
        distribution.appendEvents(std::span<const Event>(stale));
        QCOMPARE(retried(500s), 2u);
        QCOMPARE(AttemptsDistribution::retriedCalls(distribution.totals()), 5u);
    }
};

QTEST_MAIN(TestRetryTrackerModel)
#include "tst_retrytrackermodel.moc"
