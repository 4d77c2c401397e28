#include "log/logtablemodel.h"
#include "logtestevents.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QFont>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

using namespace breakwater;
using namespace breakwater::logtest;
using namespace std::chrono_literals;
using Column = LogTableModel::Column;

namespace {

QString text(const LogTableModel& model, int row, Column column)
{
    return model.data(model.index(row, column)).toString();
}

template <typename Enum>
QString optionalText(const std::optional<Enum>& value, QString (*name)(Enum))
{
    return value ? name(*value) : QStringLiteral("(absent)");
}

QString optionalText(const std::optional<double>& value)
{
    return value ? QString::number(*value, 'g', 17) : QStringLiteral("(absent)");
}

QString optionalText(const std::optional<std::int64_t>& value)
{
    return value ? QString::number(*value) : QStringLiteral("(absent)");
}

// Field by field, so a failure names the field that did not come back.
void compareEvents(const Event& actual, const Event& expected)
{
    QCOMPARE(actual.sequence, expected.sequence);
    QCOMPARE(actual.time.time_since_epoch().count(), expected.time.time_since_epoch().count());
    QCOMPARE(eventTypeName(actual.type), eventTypeName(expected.type));
    QCOMPARE(eventLevelName(actual.level), eventLevelName(expected.level));
    QCOMPARE(actual.service, expected.service);
    QCOMPARE(actual.callId, expected.callId);
    QCOMPARE(actual.attempt, expected.attempt);
    QCOMPARE(optionalText(actual.state, &breakerStateName),
             optionalText(expected.state, &breakerStateName));
    QCOMPARE(optionalText(actual.fromState, &breakerStateName),
             optionalText(expected.fromState, &breakerStateName));
    QCOMPARE(optionalText(actual.toState, &breakerStateName),
             optionalText(expected.toState, &breakerStateName));
    QCOMPARE(actual.reason, expected.reason);
    QCOMPARE(optionalText(actual.latencyMs), optionalText(expected.latencyMs));
    QCOMPARE(optionalText(actual.delayMs), optionalText(expected.delayMs));
    QCOMPARE(optionalText(actual.errorKind, &errorKindName),
             optionalText(expected.errorKind, &errorKindName));
    QCOMPARE(actual.httpStatus, expected.httpStatus);
    QCOMPARE(actual.errorCode, expected.errorCode);
    QCOMPARE(actual.message, expected.message);
}

// Every field set, to values that differ from the defaults.
Event everyField()
{
    Event e;
    e.sequence = 987654321012ULL;
    // Sub-millisecond ticks: the row keeps the clock's tick, not the log's milliseconds.
    e.time = retryalerttest::at(1250ms) + std::chrono::nanoseconds(123'456);
    e.type = EventType::AttemptFailed;
    e.level = EventLevel::Error;
    e.service = QStringLiteral("elevenlabs");
    e.callId = 42;
    e.attempt = 3;
    e.state = BreakerState::HalfOpen;
    e.fromState = BreakerState::Open;
    e.toState = BreakerState::HalfOpen;
    e.reason = QStringLiteral("backoff");
    e.latencyMs = 1234.5678;
    e.delayMs = -7; // a value the log writes as it is, even if odd
    e.errorKind = ErrorKind::Permanent;
    e.httpStatus = 401;
    e.errorCode = QStringLiteral("quota_exceeded");
    e.message = QStringLiteral("You have exceeded your quota");
    return e;
}

// A string of `units` UTF-16 units made of `piece` repeated (piece may be a surrogate pair).
QString repeated(const QString& piece, qsizetype units)
{
    QString s;
    while (s.size() < units)
        s += piece;
    s.truncate(units);
    return s;
}

// Rows whose text is partly in the string table, partly (too long for it) in their chunk.
QString snapshotMessage(std::uint64_t n)
{
    return n % 7 == 0 ? repeated(QStringLiteral("long %1 ").arg(n), 600)
                      : QStringLiteral("event %1").arg(n % 50);
}

} // namespace

// The log table: one insertion per batch, bounded by eviction, and every event back as it went in.
class TestLogTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headers()
    {
        LogTableModel model;
        QCOMPARE(model.columnCount(), int(LogTableModel::ColumnCount));
        const QStringList expected = {QStringLiteral("Time"),  QStringLiteral("Level"),
                                      QStringLiteral("Event"), QStringLiteral("Service"),
                                      QStringLiteral("Call"),  QStringLiteral("Attempt"),
                                      QStringLiteral("State"), QStringLiteral("Latency"),
                                      QStringLiteral("Error"), QStringLiteral("Message")};
        for (int column = 0; column < model.columnCount(); ++column)
            QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), expected.at(column));
        QCOMPARE(model.capacity(), LogTableModel::kDefaultCapacity);
    }

    void oneBatchIsOneInsertion()
    {
        LogTableModel model(1000);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy totals(&model, &LogTableModel::totalsChanged);

        append(model, numberedRange(0, 100));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 99);
        QCOMPARE(totals.count(), 1);

        append(model, numberedRange(100, 150));
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 100);
        QCOMPARE(inserted.at(1).at(2).toInt(), 149);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(model.rowCount(), 150);
        QCOMPARE(model.rowsAppended(), std::uint64_t(150));
        QCOMPARE(model.rowsEvicted(), std::uint64_t(0));
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.event(row).sequence, std::uint64_t(row));

        // Nothing to say: no signal at all.
        model.appendEvents({});
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(totals.count(), 2);
    }

    void evictsOldestAtCapacity()
    {
        LogTableModel model(10);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        append(model, numberedRange(0, 7));
        append(model, numberedRange(7, 14));
        // The four oldest go in one removal, before the new rows come in one insertion.
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 3);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 3);
        QCOMPARE(inserted.at(1).at(2).toInt(), 9);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.rowsHeld(), qsizetype(10));
        QCOMPARE(model.rowsEvicted(), std::uint64_t(4));
        QCOMPARE(model.rowsAppended(), std::uint64_t(14));
        for (int row = 0; row < model.rowCount(); ++row) {
            QCOMPARE(model.event(row).sequence, std::uint64_t(row + 4));
            QCOMPARE(text(model, row, Column::MessageColumn),
                     QStringLiteral("event %1").arg(row + 4));
        }
    }

    void batchLargerThanCapacityKeepsItsNewest()
    {
        LogTableModel model(10);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        append(model, numberedRange(0, 5));
        append(model, numberedRange(5, 30));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(model.rowCount(), 10);
        // The 5 rows held and the 15 of the batch that never fitted.
        QCOMPARE(model.rowsEvicted(), std::uint64_t(20));
        QCOMPARE(model.rowsAppended(), std::uint64_t(30));
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.event(row).sequence, std::uint64_t(row + 20));
    }

    // The ring frees a chunk of LogRowChunk::kRows rows only once all of them are gone: rows on
    // both sides of a chunk boundary must still be found, in order.
    void evictsAcrossChunkBoundaries()
    {
        const qsizetype capacity = LogRowChunk::kRows + 100;
        LogTableModel model(capacity);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::uint64_t next = 0;
        for (int batch = 0; batch < 6; ++batch) {
            append(model, numberedRange(next, next + 2000));
            next += 2000;
        }
        QCOMPARE(model.rowCount(), int(capacity));
        QCOMPARE(model.rowsEvicted(), next - std::uint64_t(capacity));
        const std::uint64_t first = next - std::uint64_t(capacity);
        for (int row = 0; row < model.rowCount(); ++row) {
            const Event e = model.event(row);
            QCOMPARE(e.sequence, first + std::uint64_t(row));
            QCOMPARE(e.message, QStringLiteral("event %1").arg(first + std::uint64_t(row)));
        }
    }

    void loweringCapacityRemovesOldestAtOnce()
    {
        LogTableModel model(100);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        append(model, numberedRange(0, 20));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy totals(&model, &LogTableModel::totalsChanged);

        model.setCapacity(5);
        QCOMPARE(model.capacity(), qsizetype(5));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 14);
        QCOMPARE(totals.count(), 1);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.rowsEvicted(), std::uint64_t(15));
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.event(row).sequence, std::uint64_t(row + 15));

        // The new capacity holds for what comes next.
        append(model, numberedRange(20, 23));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.event(0).sequence, std::uint64_t(18));
        QCOMPARE(model.event(4).sequence, std::uint64_t(22));

        // Raising it removes nothing; less than one row is one row.
        removed.clear();
        model.setCapacity(50);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(model.rowCount(), 5);
        model.setCapacity(0);
        QCOMPARE(model.capacity(), qsizetype(1));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.event(0).sequence, std::uint64_t(22));
    }

    void clearEmptiesAndStartsAgain()
    {
        LogTableModel model(100);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<Event> events = numberedRange(0, 10);
        events[3].service = QStringLiteral("backup-tts");
        append(model, events);
        const std::uint64_t generation = model.stringsGeneration();
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy seen(&model, &LogTableModel::serviceSeen);

        model.clear();
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.services().isEmpty());
        // Old string references mean nothing now: caches keyed by them must know.
        QVERIFY(model.stringsGeneration() != generation);

        // Texts interned after the clear are the new table's, not stale entries of the old one.
        std::vector<Event> after = numberedRange(100, 103);
        after[0].service = QStringLiteral("other");
        append(model, after);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(text(model, 0, Column::ServiceColumn), QStringLiteral("other"));
        QCOMPARE(text(model, 0, Column::MessageColumn), QStringLiteral("event 100"));
        QCOMPARE(text(model, 2, Column::MessageColumn), QStringLiteral("event 102"));
        QCOMPARE(model.services(),
                 QStringList({QStringLiteral("other"), QStringLiteral("elevenlabs")}));
        QCOMPARE(seen.count(), 2);
    }

    void eventRoundTrips_data()
    {
        QTest::addColumn<Event>("event");
        QTest::addColumn<Event>("expected");

        Event bare;
        bare.time = retryalerttest::at(0ms);
        QTest::addRow("every optional field absent") << bare << bare;

        QTest::addRow("every field present") << everyField() << everyField();

        Event transition = everyField();
        transition.type = EventType::BreakerTransition;
        transition.state = BreakerState::Open;
        transition.fromState = BreakerState::Closed;
        transition.toState = BreakerState::Open;
        transition.latencyMs = 0.0; // present and zero is not absent
        transition.delayMs = 30'000;
        QTest::addRow("breaker transition") << transition << transition;

        Event nonAscii = everyField();
        nonAscii.service = QStringLiteral("synthèse-vocale");
        nonAscii.reason = QStringLiteral("überlastet");
        nonAscii.errorCode = QStringLiteral("配额已用完");
        nonAscii.message = QStringLiteral("Ошибка: voice \"Zoë\" unavailable \U0001F600 — retry");
        QTest::addRow("non-ASCII text") << nonAscii << nonAscii;

        // Past the string table's entry length: the text lives in the row's chunk instead.
        Event longText = everyField();
        longText.message = repeated(QStringLiteral("é€\U0001F600x"), 5000);
        longText.reason = repeated(QStringLiteral("r"), LogStringTable::kMaxEntryLength + 1);
        QTest::addRow("long text, kept whole") << longText << longText;

        Event tooLong = everyField();
        tooLong.message = repeated(QStringLiteral("€"), LogRowChunk::kMaxTextLength + 1000);
        Event cut = tooLong;
        cut.message.truncate(LogRowChunk::kMaxTextLength);
        QTest::addRow("very long text, cut") << tooLong << cut;

        // A pair straddling the cut is dropped whole, never left as half a character.
        Event straddling = everyField();
        straddling.message = repeated(QStringLiteral("a"), LogRowChunk::kMaxTextLength - 1) +
                             QStringLiteral("\U0001F600tail");
        Event straddlingCut = straddling;
        straddlingCut.message.truncate(LogRowChunk::kMaxTextLength - 1);
        QTest::addRow("very long text, cut before a surrogate pair") << straddling << straddlingCut;

        Event before1970 = everyField();
        before1970.time = WallTime(-std::chrono::nanoseconds(1'500'000'001));
        QTest::addRow("before 1970") << before1970 << before1970;
    }

    void eventRoundTrips()
    {
        QFETCH(Event, event);
        QFETCH(Event, expected);
        LogTableModel model(10);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Neighbours with other values, so a row that read another's fields would show.
        Event neighbour;
        neighbour.sequence = 1;
        neighbour.service = QStringLiteral("neighbour");
        neighbour.message = QStringLiteral("neighbour message");
        neighbour.latencyMs = 5.0;
        const std::vector<Event> events = {neighbour, event, neighbour};
        append(model, events);
        QCOMPARE(model.rowCount(), 3);
        compareEvents(model.event(1), expected);
        if (QTest::currentTestFailed())
            return;
        compareEvents(model.event(0), neighbour);
        if (QTest::currentTestFailed())
            return;
        // Out of range: an empty event rather than a crash.
        QCOMPARE(model.event(3).message, QString());
        QCOMPARE(model.event(-1).message, QString());
    }

    void cellText_data()
    {
        QTest::addColumn<Event>("event");
        QTest::addColumn<int>("column");
        QTest::addColumn<QVariant>("shown");

        Event failed = retryalerttest::failedAttempt(42, 2, 1250ms, 503);
        failed.time += std::chrono::microseconds(999); // shown cut to the millisecond, not rounded
        failed.state = BreakerState::Closed;
        failed.latencyMs = 12.5;
        failed.errorCode = QStringLiteral("service_unavailable");
        failed.reason = QStringLiteral("http_error");
        QTest::addRow("time") << failed << int(Column::TimeColumn)
                              << QVariant(QStringLiteral("10:00:01.250"));
        QTest::addRow("level") << failed << int(Column::LevelColumn)
                               << QVariant(QStringLiteral("warning"));
        QTest::addRow("event") << failed << int(Column::EventColumn)
                               << QVariant(QStringLiteral("attempt_failed"));
        QTest::addRow("service") << failed << int(Column::ServiceColumn)
                                 << QVariant(QStringLiteral("elevenlabs"));
        QTest::addRow("call") << failed << int(Column::CallColumn)
                              << QVariant(QStringLiteral("call-42"));
        QTest::addRow("attempt") << failed << int(Column::AttemptColumn) << QVariant(2);
        QTest::addRow("state") << failed << int(Column::StateColumn)
                               << QVariant(QStringLiteral("closed"));
        QTest::addRow("latency") << failed << int(Column::LatencyColumn)
                                 << QVariant(QStringLiteral("12.5 ms"));
        QTest::addRow("error") << failed << int(Column::ErrorColumn)
                               << QVariant(QStringLiteral("transient 503 service_unavailable"));
        QTest::addRow("message: reason and message")
            << failed << int(Column::MessageColumn)
            << QVariant(QStringLiteral("http_error: Service Unavailable"));

        Event bare = retryalerttest::callEvent(EventType::CallStarted, 0, 0, 0ms, {});
        QTest::addRow("no call") << bare << int(Column::CallColumn) << QVariant(QString());
        QTest::addRow("no attempt") << bare << int(Column::AttemptColumn) << QVariant();
        QTest::addRow("no state") << bare << int(Column::StateColumn) << QVariant(QString());
        QTest::addRow("no latency") << bare << int(Column::LatencyColumn) << QVariant(QString());
        QTest::addRow("no error") << bare << int(Column::ErrorColumn) << QVariant(QString());
        QTest::addRow("no message") << bare << int(Column::MessageColumn) << QVariant(QString());

        Event transition = bare;
        transition.type = EventType::BreakerTransition;
        transition.state = BreakerState::Open;
        transition.fromState = BreakerState::Closed;
        transition.toState = BreakerState::Open;
        transition.reason = QStringLiteral("consecutive_failures");
        QTest::addRow("transition state") << transition << int(Column::StateColumn)
                                          << QVariant(QStringLiteral("closed \u2192 open"));
        QTest::addRow("reason alone") << transition << int(Column::MessageColumn)
                                      << QVariant(QStringLiteral("consecutive_failures"));

        const Event retry = retryalerttest::retryScheduled(42, 2, 0ms, 250, 503);
        QTest::addRow("retry delay")
            << retry << int(Column::LatencyColumn) << QVariant(QStringLiteral("in 250 ms"));

        Event whole = bare;
        whole.latencyMs = 40.0;
        QTest::addRow("whole milliseconds")
            << whole << int(Column::LatencyColumn) << QVariant(QStringLiteral("40 ms"));
        Event fine = bare;
        fine.latencyMs = 0.1234;
        QTest::addRow("three decimals")
            << fine << int(Column::LatencyColumn) << QVariant(QStringLiteral("0.123 ms"));
        Event messageOnly = bare;
        messageOnly.message = QStringLiteral("just a message");
        QTest::addRow("message alone") << messageOnly << int(Column::MessageColumn)
                                       << QVariant(QStringLiteral("just a message"));
    }

    void cellText()
    {
        QFETCH(Event, event);
        QFETCH(int, column);
        QFETCH(QVariant, shown);
        LogTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        append(model, {event});
        QCOMPARE(model.data(model.index(0, column)), shown);
    }

    void otherRoles()
    {
        LogTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        Event e = retryalerttest::failedAttempt(42, 2, 1250ms, 503);
        e.level = EventLevel::Error;
        e.latencyMs = 3.0;
        append(model, {e});

        // The tooltip gives the log's own UTC timestamp.
        const QString iso =
            QDateTime::fromMSecsSinceEpoch(
                std::chrono::floor<std::chrono::milliseconds>(e.time.time_since_epoch()).count())
                .toUTC()
                .toString(Qt::ISODateWithMs);
        QCOMPARE(model.data(model.index(0, Column::TimeColumn), Qt::ToolTipRole).toString(), iso);
        QVERIFY(iso.endsWith(u'Z'));
        QCOMPARE(model.data(model.index(0, Column::MessageColumn), Qt::ToolTipRole).toString(),
                 QStringLiteral("Service Unavailable"));
        // Errors stand out, in words as well as colour.
        QVERIFY(model.data(model.index(0, Column::LevelColumn), Qt::ForegroundRole).isValid());
        QVERIFY(
            model.data(model.index(0, Column::LevelColumn), Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model.data(model.index(0, Column::ServiceColumn), Qt::ForegroundRole).isValid());
        QVERIFY(model.data(model.index(0, Column::LatencyColumn), Qt::TextAlignmentRole).isValid());
        // An invalid index gets nothing (and Qt's index check says why).
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is not valid")));
        QVERIFY(!model.data(QModelIndex()).isValid());
    }

    void servicesInFirstSeenOrder()
    {
        LogTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy seen(&model, &LogTableModel::serviceSeen);
        std::vector<Event> events = numberedRange(0, 6);
        const QStringList services = {QStringLiteral("b"), QStringLiteral("a"),
                                      QStringLiteral("b"), QString(),
                                      QStringLiteral("c"), QStringLiteral("a")};
        for (std::size_t i = 0; i < events.size(); ++i)
            events[i].service = services.at(qsizetype(i));
        append(model, events);
        QCOMPARE(model.services(),
                 QStringList({QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("c")}));
        QCOMPARE(seen.count(), 3);
        QCOMPARE(seen.at(2).at(0).toString(), QStringLiteral("c"));
    }

    void servicesListIsBounded()
    {
        LogTableModel model;
        std::vector<Event> events = numberedRange(0, LogTableModel::kMaxServicesListed + 44);
        for (std::size_t i = 0; i < events.size(); ++i)
            events[i].service = QStringLiteral("service-%1").arg(i);
        append(model, events);
        QCOMPARE(model.services().size(), LogTableModel::kMaxServicesListed);
        // Past the list's bound a service is still in its rows.
        const int last = model.rowCount() - 1;
        QCOMPARE(text(model, last, Column::ServiceColumn), QStringLiteral("service-%1").arg(last));
    }

    // A snapshot is read on another thread while the ring goes on: what it holds must not move.
    void snapshotKeepsItsRows()
    {
        const qsizetype capacity = LogRowChunk::kRows + 2000;
        LogTableModel model(capacity);
        const auto fill = [&](std::uint64_t from, std::uint64_t to) {
            std::vector<Event> events = numberedRange(from, to);
            for (Event& e : events)
                e.message = snapshotMessage(e.sequence);
            append(model, events);
        };
        fill(0, 5000);
        const LogSnapshot snapshot = model.snapshot();
        QCOMPARE(snapshot.size(), qsizetype(5000));

        // New rows fill the chunk the snapshot copied, push out its oldest rows, and add table
        // entries (which the table must copy, not change under the snapshot).
        std::vector<Event> more = numberedRange(5000, 8000);
        for (Event& e : more)
            e.message = QStringLiteral("new text %1").arg(e.sequence);
        append(model, more);
        QCOMPARE(model.rowCount(), int(capacity));
        QVERIFY(model.rowsEvicted() > 0);

        const auto check = [&](const LogSnapshot& taken, std::uint64_t first) {
            for (qsizetype i = 0; i < taken.size(); ++i) {
                const Event e = taken.at(i).event();
                const std::uint64_t n = first + std::uint64_t(i);
                QCOMPARE(e.sequence, n);
                if (n < 5000)
                    QCOMPARE(e.message, snapshotMessage(n));
                else
                    QCOMPARE(e.message, QStringLiteral("new text %1").arg(n));
            }
        };
        check(snapshot, 0);
        if (QTest::currentTestFailed())
            return;

        // One taken after eviction starts at the ring's first row, mid-chunk.
        const LogSnapshot later = model.snapshot();
        QCOMPARE(later.size(), capacity);
        check(later, 8000 - std::uint64_t(capacity));
        if (QTest::currentTestFailed())
            return;

        // Even a clear() leaves both readable.
        model.clear();
        fill(0, 10);
        check(snapshot, 0);
        if (QTest::currentTestFailed())
            return;
        check(later, 8000 - std::uint64_t(capacity));
    }

    // The exporter reads a snapshot on its own thread while the GUI thread goes on appending,
    // evicting and adding string-table entries. (The tsan preset shows any race this has.)
    void snapshotIsReadOnAnotherThread()
    {
        LogTableModel model(LogRowChunk::kRows + 3000);
        std::vector<Event> first = numberedRange(0, 6000);
        for (Event& e : first)
            e.message = snapshotMessage(e.sequence);
        append(model, first);
        const LogSnapshot snapshot = model.snapshot();

        std::atomic<qsizetype> firstWrong{-1};
        std::thread reader([&] {
            for (int pass = 0; pass < 3; ++pass) {
                for (qsizetype i = 0; i < snapshot.size(); ++i) {
                    const Event e = snapshot.at(i).event();
                    if (e.sequence != std::uint64_t(i) ||
                        e.message != snapshotMessage(std::uint64_t(i))) {
                        firstWrong = i;
                        return;
                    }
                }
            }
        });
        for (std::uint64_t from = 6000; from < 26000; from += 2000) {
            std::vector<Event> more = numberedRange(from, from + 2000);
            for (Event& e : more)
                e.message = QStringLiteral("unique text %1").arg(e.sequence);
            append(model, more);
        }
        reader.join();
        QCOMPARE(firstWrong.load(), qsizetype(-1));
        QCOMPARE(snapshot.size(), qsizetype(6000));
        QCOMPARE(model.event(0).sequence, std::uint64_t(26000 - model.rowCount()));
    }

    // The string table stops taking entries at its bounds; the rows past them keep their text in
    // their chunk and must read back the same.
    void stringTableOverflowStillRoundTrips_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("length");
        QTest::addRow("entry count") << int(LogStringTable::kMaxEntries) + 2000 << 0;
        // Each message just under the entry length: the text budget runs out first.
        QTest::addRow("text units")
            << int(LogStringTable::kMaxTextUnits / (LogStringTable::kMaxEntryLength - 12)) + 500
            << int(LogStringTable::kMaxEntryLength) - 12;
    }

    void stringTableOverflowStillRoundTrips()
    {
        QFETCH(int, count);
        QFETCH(int, length);
        const auto messageOf = [&](int n) {
            const QString unique = QStringLiteral("unique %1 ").arg(n);
            return length == 0 ? unique : repeated(unique, length);
        };
        LogTableModel model;
        std::vector<Event> events = numberedRange(0, std::uint64_t(count));
        for (Event& e : events)
            e.message = messageOf(int(e.sequence));
        // In a few batches, as the bridge would deliver them.
        const std::size_t batch = 5000;
        for (std::size_t from = 0; from < events.size(); from += batch) {
            const std::size_t to = std::min(events.size(), from + batch);
            model.appendEvents(std::span<const Event>(events).subspan(from, to - from));
        }
        QCOMPARE(model.rowCount(), count);
        // The test means something only if the table did run out of room.
        QVERIFY(model.rowRef(0).row.message != kEmptyLogString);
        QVERIFY((model.rowRef(0).row.message & kArenaLogString) == 0);
        QVERIFY((model.rowRef(count - 1).row.message & kArenaLogString) != 0);
        for (int row = 0; row < count; ++row) {
            QCOMPARE(model.event(row).message, messageOf(row));
            QCOMPARE(model.event(row).service, QStringLiteral("elevenlabs"));
        }
        QCOMPARE(text(model, count - 1, Column::MessageColumn), messageOf(count - 1));
    }
};

QTEST_MAIN(TestLogTableModel)
#include "tst_logtablemodel.moc"
