#include "sheetssinkrig.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTest>

#include <algorithm>

using namespace breakwater;
using namespace breakwater::sheetstest;
using namespace std::chrono_literals;

namespace {

// The fake notes a request when its body is in, the sink starts its clock just before sending:
// connecting may take a few milliseconds longer one time than the next.
constexpr qint64 kPaceToleranceMs = 30;

QStringList ids(const QString& runId, const std::vector<Event>& events)
{
    QStringList out;
    for (const Event& e : events)
        out.append(runId + QLatin1Char('-') + QString::number(e.sequence));
    return out;
}

QString idsText(const QStringList& list)
{
    return list.join(QLatin1Char(' '));
}

} // namespace

// The real Sheets sink, its worker thread and its queue on disk, against fakes of Google's token
// endpoint and values.append on 127.0.0.1 that check what Google checks.
class TestSheetsSink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_account = std::make_unique<testing::TestServiceAccount>();
        QVERIFY2(m_account->isValid(), qPrintable(m_account->errorString()));
    }

    void rowsArriveRawAsTextWithTheirEventIds()
    {
        SheetsRig rig(*m_account);
        QVERIFY(rig.server.isListening());
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());

        std::vector<Event> selected;
        std::vector<Event> all;
        for (std::uint64_t seq = 1; seq <= 40; ++seq) {
            if (seq % 4 == 0) {
                // Types sheets.events leaves out, the sink's own reports among them.
                const EventType type =
                    seq % 8 == 0 ? EventType::AttemptStarted : EventType::SheetsAppendFailed;
                all.push_back(unselected(seq, type));
                continue;
            }
            all.push_back(hostileOutcome(seq));
            selected.push_back(all.back());
        }
        Event transition = callOutcome(41);
        transition.type = EventType::BreakerTransition;
        transition.fromState = BreakerState::Closed;
        transition.toState = transition.state = BreakerState::Open;
        all.push_back(transition);
        selected.push_back(transition);
        feed(*sink, all);

        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), int(selected.size()), kDeliveryTimeoutMs);
        QVERIFY2(rig.server.refusals().isEmpty(), qPrintable(rig.refusals()));
        QCOMPARE(rig.server.eventIds(), ids(sink->runId(), selected));
        for (const auto& request : rig.server.appendRequests())
            QVERIFY2(request.target.contains("valueInputOption=RAW"), request.target.constData());

        const qsizetype message = sheetsColumn("message");
        const qsizetype reason = sheetsColumn("reason");
        const qsizetype errorCode = sheetsColumn("error_code");
        const qsizetype service = sheetsColumn("service");
        const qsizetype status = sheetsColumn("http_status");
        const qsizetype event = sheetsColumn("event");
        for (std::size_t i = 0; i < selected.size(); ++i) {
            const QJsonArray& row = rig.server.rows()[i];
            const Event& e = selected[i];
            QCOMPARE(row.size(), qsizetype(kSheetsColumnCount));
            // Exactly the text: no quote prefixed, no escaping left, no line break lost.
            QCOMPARE(row.at(message).toString(), e.message);
            QCOMPARE(row.at(reason).toString(), e.reason);
            QCOMPARE(row.at(errorCode).toString(), e.errorCode);
            QCOMPARE(row.at(service).toString(), e.service);
            QVERIFY(row.at(message).isString());
            QCOMPARE(row.at(event).toString(), eventTypeName(e.type));
            if (e.httpStatus != 0) {
                QVERIFY(row.at(status).isDouble()); // a number, so the sheet can sum it
                QCOMPARE(row.at(status).toInt(), e.httpStatus);
            }
        }
        QCOMPARE(sink->rowsSent(), std::uint64_t(selected.size()));
        QTRY_COMPARE_WITH_TIMEOUT(sink->queuedRows(), std::uint64_t(0), kDeliveryTimeoutMs);
        QCOMPARE(countOf(rig.events, EventType::SheetsAppendFailed), 0);
    }

    void rangesReachTheirSheet_data()
    {
        QTest::addColumn<QString>("range");
        QTest::addRow("plain") << QStringLiteral("Sheet1!A1");
        QTest::addRow("quoted name with a space") << QStringLiteral("'Call log'!A1:Q");
        QTest::addRow("beyond ASCII") << QString::fromUtf8("Anrufe \xc3\xbc #2!A:Q");
    }

    // The range travels percent-encoded in the path and as it is in the body; the fake decodes
    // the one and compares both with the sheet it serves.
    void rangesReachTheirSheet()
    {
        QFETCH(QString, range);
        SheetsRig rig(*m_account, range);
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 3));
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 3, kDeliveryTimeoutMs);
        QVERIFY2(rig.server.refusals().isEmpty(), qPrintable(rig.refusals()));
    }

    void anOversizedCellIsCutNotRefused()
    {
        SheetsRig rig(*m_account);
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());
        Event e = callOutcome(5);
        e.message = QString(60'000, QLatin1Char('x')); // Google refuses cells over 50,000
        feed(*sink, e);
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 1, kDeliveryTimeoutMs);
        const QString cell = rig.server.rows().front().at(sheetsColumn("message")).toString();
        QCOMPARE(cell.size(), SheetsRowFormatter::kMaxCellLength);
        QVERIFY(cell.endsWith(SheetsRowFormatter::kTruncationMark));
    }

    void manyEventsGoOutInFewRequests()
    {
        SheetsRig rig(*m_account);
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());
        std::vector<Event> all;
        // Twenty batches of the stream within a few milliseconds, far inside one interval: the
        // first request may leave with the first batch, everything else waits for the next.
        for (int batch = 0; batch < 20; ++batch) {
            const std::vector<Event> events = callOutcomes(std::uint64_t(batch * 10 + 1), 10);
            feed(*sink, events);
            all.insert(all.end(), events.begin(), events.end());
        }
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 200, kDeliveryTimeoutMs);
        QVERIFY2(rig.server.appendCount() <= 3,
                 qPrintable(QStringLiteral("%1 requests").arg(rig.server.appendCount())));
        QCOMPARE(rig.server.eventIds(), ids(sink->runId(), all));
    }

    void batchesHoldAtMostMaxRowsOneIntervalApart()
    {
        SheetsRig rig(*m_account);
        SheetsSettings settings = rig.settings();
        settings.maxBatchRows = 7;
        auto sink = rig.sink(settings, rig.options());
        QCOMPARE(sink->start(), QString());
        const std::vector<Event> events = callOutcomes(1, 30);
        feed(*sink, events);

        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 30, kDeliveryTimeoutMs);
        QCOMPARE(rig.server.eventIds(), ids(sink->runId(), events));
        QList<int> sizes;
        for (const auto& request : rig.server.appendRequests())
            sizes.append(request.rows);
        QCOMPARE(sizes, (QList<int>{7, 7, 7, 7, 2}));
        const qint64 interval = 200;
        for (const qint64 gap : rig.gapsMs())
            QVERIFY2(gap >= interval - kPaceToleranceMs, qPrintable(QString::number(gap)));
    }

    void retryAfterIsHonouredAndRowsGoOutOnce()
    {
        SheetsRig rig(*m_account);
        rig.server.answerAppends(1, 429, 1);
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());
        const std::vector<Event> events = callOutcomes(1, 20);
        feed(*sink, events);

        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 20, kDeliveryTimeoutMs);
        QCOMPARE(rig.server.eventIds(), ids(sink->runId(), events));
        QCOMPARE(rig.server.appendRequests().front().status, 429);
        // Retry-After: 1 outweighs the backoff's few hundred milliseconds.
        QVERIFY2(rig.gapsMs().front() >= 1000 - kPaceToleranceMs,
                 qPrintable(QString::number(rig.gapsMs().front())));
        const std::vector<Event> failed = eventsOf(rig.events, EventType::SheetsAppendFailed);
        QCOMPARE(failed.size(), std::size_t(1));
        QCOMPARE(failed[0].reason, QStringLiteral("rate_limited"));
        QCOMPARE(failed[0].httpStatus, 429);
        QCOMPARE(failed[0].errorKind, std::optional(ErrorKind::Transient));
        QCOMPARE(failed[0].level, EventLevel::Warning);
        QVERIFY(failed[0].delayMs.value_or(0) >= 1000);
        QTRY_COMPARE_WITH_TIMEOUT(countOf(rig.events, EventType::SheetsAppendRecovered), 1,
                                  kDeliveryTimeoutMs);
    }

    void serverErrorsAreRetriedInOrderOnce()
    {
        SheetsRig rig(*m_account);
        rig.server.answerAppends(3, 503);
        SheetsSettings settings = rig.settings();
        settings.maxBatchRows = 8;
        auto sink = rig.sink(settings, rig.options());
        QCOMPARE(sink->start(), QString());
        const std::vector<Event> first = callOutcomes(1, 10);
        feed(*sink, first);
        // More arrive while the first batch is being retried: they queue behind it.
        QTRY_VERIFY_WITH_TIMEOUT(rig.server.appendCount() >= 2, kDeliveryTimeoutMs);
        const std::vector<Event> second = callOutcomes(11, 10);
        feed(*sink, second);

        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 20, kDeliveryTimeoutMs);
        QCOMPARE(rig.server.eventIds(), ids(sink->runId(), first) + ids(sink->runId(), second));
        QCOMPARE(sink->failedRequests(), std::uint64_t(3));
        for (const qint64 gap : rig.gapsMs())
            QVERIFY2(gap >= 200 - kPaceToleranceMs, qPrintable(QString::number(gap)));
        // One streak, one cause: told once, and its end once.
        const std::vector<Event> failed = eventsOf(rig.events, EventType::SheetsAppendFailed);
        QCOMPARE(failed.size(), std::size_t(1));
        QCOMPARE(failed[0].reason, QStringLiteral("server_error"));
        QCOMPARE(failed[0].httpStatus, 503);
        QTRY_COMPARE_WITH_TIMEOUT(countOf(rig.events, EventType::SheetsAppendRecovered), 1,
                                  kDeliveryTimeoutMs);
        QCOMPARE(sink->lastError(), QString());
    }

    void longOutageKeepsRowsOnDiskInOrder()
    {
        SheetsRig rig(*m_account);
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 5));
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 5, kDeliveryTimeoutMs);

        rig.server.setSheetsDown(true);
        for (int batch = 0; batch < 5; ++batch)
            feed(*sink, callOutcomes(std::uint64_t(6 + batch * 5), 5));
        QTRY_VERIFY_WITH_TIMEOUT(countOf(rig.events, EventType::SheetsAppendFailed) >= 1,
                                 kDeliveryTimeoutMs);
        // Several tries fail while the API is away; the rows wait in the queue's files.
        QTRY_VERIFY_WITH_TIMEOUT(sink->failedRequests() >= 4, kDeliveryTimeoutMs);
        QCOMPARE(sink->queuedRows(), std::uint64_t(25));
        QCOMPARE(rig.storedRows(), 5);
        qsizetype lines = 0;
        for (const QString& path :
             QDir(rig.queueDirectory()).entryList({QStringLiteral("rows-*.jsonl")}, QDir::Files)) {
            QFile file(QDir(rig.queueDirectory()).filePath(path));
            QVERIFY(file.open(QIODevice::ReadOnly));
            lines += file.readAll().count('\n');
        }
        QVERIFY2(lines >= 25, qPrintable(QString::number(lines)));
        const std::vector<Event> failed = eventsOf(rig.events, EventType::SheetsAppendFailed);
        QCOMPARE(failed.size(), std::size_t(1)); // one streak, one cause
        QCOMPARE(failed[0].reason, QStringLiteral("unreachable"));

        rig.server.setSheetsDown(false);
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 30, kDeliveryTimeoutMs);
        QCOMPARE(rig.server.eventIds(), eventIds(sink->runId(), 1, 30));
        QTRY_COMPARE_WITH_TIMEOUT(countOf(rig.events, EventType::SheetsAppendRecovered), 1,
                                  kDeliveryTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(sink->queuedRows(), std::uint64_t(0), kDeliveryTimeoutMs);
    }

    void aRestartDuringTheOutageDeliversTheRestOnce()
    {
        SheetsRig rig(*m_account);
        QStringList expected;
        {
            auto sink = rig.sink(rig.settings(), rig.options(QStringLiteral("runfirst")));
            QCOMPARE(sink->start(), QString());
            feed(*sink, callOutcomes(1, 10));
            QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 10, kDeliveryTimeoutMs);
            rig.server.setSheetsDown(true);
            feed(*sink, callOutcomes(11, 15));
            QTRY_VERIFY_WITH_TIMEOUT(sink->failedRequests() >= 2, kDeliveryTimeoutMs);
            QVERIFY(stopInBackground(*sink, 300ms));
            // Handed over by the stream after the stop: kept for the next run too.
            feed(*sink, callOutcomes(26, 3));
            QCOMPARE(sink->queuedRows(), std::uint64_t(18));
            expected = eventIds(sink->runId(), 1, 28);
        }
        rig.server.setSheetsDown(false);
        auto sink = rig.sink(rig.settings(), rig.options(QStringLiteral("runsecond")));
        QCOMPARE(sink->start(), QString());
        QCOMPARE(sink->queuedRows(), std::uint64_t(18));
        feed(*sink, callOutcomes(1, 4)); // the new run's stream counts from 1 again
        expected += eventIds(sink->runId(), 1, 4);

        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 32, kDeliveryTimeoutMs);
        QCOMPARE(idsText(rig.server.eventIds()), idsText(expected));
        QTRY_COMPARE_WITH_TIMEOUT(sink->queuedRows(), std::uint64_t(0), kDeliveryTimeoutMs);
        QCOMPARE(sink->droppedRows(), std::uint64_t(0));
    }

    void overflowIsCountedAndToldPerBurst()
    {
        SheetsRig rig(*m_account);
        SheetsSettings settings = rig.settings();
        settings.queueMaxRows = 10;
        SheetsSinkOptions options = rig.options();
        options.dropReminderInterval = 1s; // the burst is over once room has lasted this long
        auto sink = rig.sink(settings, options);
        rig.server.setSheetsDown(true);
        QCOMPARE(sink->start(), QString());
        for (std::uint64_t seq = 1; seq <= 25; ++seq) {
            feed(*sink, callOutcome(seq));
            sink->flush(); // as the stream does: no room yet, so the burst goes on
        }
        QCOMPARE(sink->droppedRows(), std::uint64_t(15));
        QCOMPARE(sink->queuedRows(), std::uint64_t(10));
        const std::vector<Event> told = eventsOf(rig.events, EventType::SheetsRowsDropped);
        QCOMPARE(told.size(), std::size_t(1));
        QCOMPARE(told[0].reason, QStringLiteral("queue_full"));
        QCOMPARE(told[0].level, EventLevel::Error);

        // Back: the oldest rows, those the queue kept, go out; the end of the burst is told once
        // with the total.
        rig.server.setSheetsDown(false);
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 10, kDeliveryTimeoutMs);
        QCOMPARE(rig.server.eventIds(), eventIds(sink->runId(), 1, 10));
        QTRY_VERIFY_WITH_TIMEOUT(sink->queuedRows() < 10, kDeliveryTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(
            (sink->flush(), countOf(rig.events, EventType::SheetsRowsDropped)), 2,
            kDeliveryTimeoutMs);
        const std::vector<Event> all = eventsOf(rig.events, EventType::SheetsRowsDropped);
        QVERIFY2(all[1].message.contains(QStringLiteral("15 dropped in all")),
                 qPrintable(all[1].message));
    }

    // A queue held at its maximum while rows come faster than they leave has room one moment
    // and none the next: that is one burst told at the reminder pace, not one report per gap.
    void aQueueHeldFullIsToldAtTheReminderPace()
    {
        SheetsRig rig(*m_account);
        SheetsSettings settings = rig.settings();
        settings.queueMaxRows = 3;
        settings.maxBatchRows = 1; // one row leaves every batch interval
        settings.batchInterval = 50ms;
        SheetsSinkOptions options = rig.options();
        options.dropReminderInterval = 500ms;
        auto sink = rig.sink(settings, options);
        QCOMPARE(sink->start(), QString());

        std::uint64_t seq = 0;
        int fits = 0;
        QElapsedTimer running;
        running.start();
        while (running.elapsed() < 1'500) {
            // The worker only takes rows away: room seen now is room for this one.
            if (sink->queuedRows() < 3)
                ++fits;
            feed(*sink, callOutcome(++seq));
            sink->flush();
            QTest::qWait(10);
            feed(*sink, callOutcomes(seq + 1, 4)); // more than the queue ever has room for
            seq += 4;
            sink->flush();
            QTest::qWait(10);
        }
        const int toldWhileFull = countOf(rig.events, EventType::SheetsRowsDropped);
        QVERIFY2(fits >= 5, qPrintable(QString::number(fits)));
        QVERIFY(rig.storedRows() >= 5);
        QVERIFY2(toldWhileFull >= 2 && toldWhileFull <= 4,
                 qPrintable(QString::number(toldWhileFull)));

        // Stopped, the stream's last flush tells what was not told yet: every drop, once.
        QVERIFY(stopInBackground(*sink, 0ms));
        sink->flush();
        std::uint64_t told = 0;
        for (const Event& e : eventsOf(rig.events, EventType::SheetsRowsDropped)) {
            QCOMPARE(e.reason, QStringLiteral("queue_full"));
            told += e.message.section(QLatin1Char(' '), 0, 0).toULongLong();
        }
        QVERIFY(sink->droppedRows() > 0);
        QCOMPARE(told, sink->droppedRows());
    }

    void aRefusalIsToldAndKeepsTheRows()
    {
        SheetsRig rig(*m_account);
        rig.server.answerAppends(2, 403);
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 6));

        QTRY_COMPARE_WITH_TIMEOUT(countOf(rig.events, EventType::SheetsAppendFailed), 1,
                                  kDeliveryTimeoutMs);
        const Event failed = eventsOf(rig.events, EventType::SheetsAppendFailed).front();
        QCOMPARE(failed.reason, QStringLiteral("forbidden"));
        QCOMPARE(failed.httpStatus, 403);
        QCOMPARE(failed.errorCode, QStringLiteral("PERMISSION_DENIED"));
        QCOMPARE(failed.errorKind, std::optional(ErrorKind::Permanent));
        QCOMPARE(failed.level, EventLevel::Error);
        QVERIFY2(failed.message.contains(QStringLiteral("share the spreadsheet")),
                 qPrintable(failed.message));
        QCOMPARE(sink->queuedRows(), std::uint64_t(6));
        QCOMPARE(rig.storedRows(), 0);
        QVERIFY2(sink->lastError().contains(QStringLiteral("403")), qPrintable(sink->lastError()));

        // Tried again slowly (permanentRetryDelay), told once while the cause stays the same;
        // once the spreadsheet is shared the rows go out.
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 6, kDeliveryTimeoutMs);
        QCOMPARE(rig.server.eventIds(), eventIds(sink->runId(), 1, 6));
        QCOMPARE(countOf(rig.events, EventType::SheetsAppendFailed), 1);
        for (const qint64 gap : rig.gapsMs())
            QVERIFY2(gap >= 600 - kPaceToleranceMs, qPrintable(QString::number(gap)));
        QTRY_COMPARE_WITH_TIMEOUT(countOf(rig.events, EventType::SheetsAppendRecovered), 1,
                                  kDeliveryTimeoutMs);
        QCOMPARE(sink->lastError(), QString());
    }

    void aLostAnswerIsSentAgainWithTheSameEventIds()
    {
        SheetsRig rig(*m_account);
        SheetsSettings settings = rig.settings();
        settings.timeout = 1s;
        rig.server.hangAppends(1, true); // stored, but the answer never comes
        auto sink = rig.sink(settings, rig.options());
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 5));

        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 10, kDeliveryTimeoutMs);
        const QStringList once = eventIds(sink->runId(), 1, 5);
        QCOMPARE(rig.server.eventIds(), once + once); // the duplicates a reader can find
        const std::vector<Event> failed = eventsOf(rig.events, EventType::SheetsAppendFailed);
        QCOMPARE(failed.size(), std::size_t(1));
        QCOMPARE(failed[0].reason, QStringLiteral("timeout"));
        QTRY_COMPARE_WITH_TIMEOUT(sink->queuedRows(), std::uint64_t(0), kDeliveryTimeoutMs);
    }

    void aStopCutsAHangingRequestShortAndKeepsItsRows()
    {
        SheetsRig rig(*m_account);
        SheetsSettings settings = rig.settings();
        settings.timeout = 30s; // far beyond the grace: only the stop can end it
        rig.server.hangAppends(1);
        {
            auto sink = rig.sink(settings, rig.options(QStringLiteral("runhang")));
            QCOMPARE(sink->start(), QString());
            feed(*sink, callOutcomes(1, 5));
            QTRY_COMPARE_WITH_TIMEOUT(rig.server.appendCount(), 1, kDeliveryTimeoutMs);
            QElapsedTimer stopping;
            stopping.start();
            QVERIFY(stopInBackground(*sink, 300ms));
            QVERIFY2(stopping.elapsed() < 10'000, qPrintable(QString::number(stopping.elapsed())));
            QCOMPARE(sink->queuedRows(), std::uint64_t(5));
            QCOMPARE(countOf(rig.events, EventType::SheetsAppendFailed), 0); // a stop, no failure
        }
        auto sink = rig.sink(settings, rig.options(QStringLiteral("runafter")));
        QCOMPARE(sink->start(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 5, kDeliveryTimeoutMs);
        QCOMPARE(rig.server.eventIds(), eventIds(QStringLiteral("runhang"), 1, 5));
    }

    void aStopSendsWhatItCanWithinTheGrace()
    {
        SheetsRig rig(*m_account);
        SheetsSettings settings = rig.settings();
        settings.maxBatchRows = 10;
        auto sink = rig.sink(settings, rig.options());
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 30));
        // Three requests, 200 ms apart, fit well inside the grace: the stop waits for them.
        QVERIFY(stopInBackground(*sink, 5s));
        QCOMPARE(rig.storedRows(), 30);
        QCOMPARE(sink->queuedRows(), std::uint64_t(0));
        QCOMPARE(rig.server.eventIds(), eventIds(sink->runId(), 1, 30));
    }

private:
    std::unique_ptr<testing::TestServiceAccount> m_account;
};

QTEST_GUILESS_MAIN(TestSheetsSink)
#include "tst_sheetssink.moc"
