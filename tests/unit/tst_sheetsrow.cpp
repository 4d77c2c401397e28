#include "telemetry/csvwriter.h"
#include "telemetry/eventcsv.h"
#include "telemetry/sheets/sheetsrow.h"
#include "telemetry/telemetrysettings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <limits>

using namespace breakwater;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(breakwater::Event)

namespace {

const QString kRun = QStringLiteral("0123456789ab");

// 2026-11-28T15:04:05.123Z
const WallTime kTime{std::chrono::milliseconds(1'795'878'245'123)};

Event fullEvent()
{
    Event e;
    e.sequence = 42;
    e.time = kTime;
    e.type = EventType::CallFailed;
    e.level = EventLevel::Error;
    e.service = QStringLiteral("elevenlabs");
    e.callId = 7;
    e.attempt = 3;
    e.state = BreakerState::Open;
    e.fromState = BreakerState::Closed;
    e.toState = BreakerState::HalfOpen;
    e.reason = QStringLiteral("retries_exhausted");
    e.latencyMs = 12.3456;
    e.delayMs = -250;
    e.errorKind = ErrorKind::Transient;
    e.httpStatus = 503;
    e.errorCode = QStringLiteral("service_unavailable");
    e.message = QStringLiteral("Service \"Unavailable\"\nline two");
    return e;
}

Event bareEvent(std::uint64_t sequence = 1)
{
    Event e;
    e.sequence = sequence;
    e.time = kTime;
    e.type = EventType::BreakerTransition;
    return e;
}

QStringList texts(const SheetsRow& row)
{
    QStringList out;
    for (const SheetsCell& cell : row)
        out.append(cell.text);
    return out;
}

QByteArray csvOf(const SheetsRow& row)
{
    QByteArray out;
    CsvWriter csv(out);
    SheetsRowFormatter::writeCsvRecord(csv, row);
    return out;
}

QByteArray exportCsvOf(const Event& event)
{
    QByteArray out;
    CsvWriter csv(out);
    EventCsvFormatter formatter;
    formatter.writeRecord(csv, event);
    return out;
}

} // namespace

class TestSheetsRow final : public QObject
{
    Q_OBJECT

private slots:
    void columnsAreTheCsvExportsWithEventIdFirst();
    void everyFieldIsWrittenAsTheLogWritesIt();
    void absentFieldsAreEmptyCells();
    void csvIsTheCsvExportWithTheEventId_data();
    void csvIsTheCsvExportWithTheEventId();
    void jsonRowReadsBackAsTheCells_data();
    void jsonRowReadsBackAsTheCells();
    void eventIdsAreUniqueAcrossRuns();
    void longTextIsCutBelowTheSheetsCellLimit();
    void selectsEventsByTheirLogNames();
};

void TestSheetsRow::columnsAreTheCsvExportsWithEventIdFirst()
{
    QCOMPARE(kSheetsColumns.size(), std::size_t(17));
    QCOMPARE(kSheetsColumns.front(), std::string_view("event_id"));
    for (std::size_t i = 0; i < EventCsvFormatter::kColumns.size(); ++i)
        QCOMPARE(kSheetsColumns[i + 1], EventCsvFormatter::kColumns[i]);

    QByteArray header;
    CsvWriter csv(header);
    SheetsRowFormatter::writeCsvHeader(csv);
    QCOMPARE(header, QByteArray("event_id,ts,level,event,service,call_id,attempt,state,from_state,"
                                "to_state,reason,latency_ms,delay_ms,error_kind,http_status,"
                                "error_code,message\r\n"));
}

void TestSheetsRow::everyFieldIsWrittenAsTheLogWritesIt()
{
    SheetsRowFormatter formatter(kRun);
    const SheetsRow row = formatter.row(fullEvent());
    QCOMPARE(
        texts(row),
        QStringList({QStringLiteral("0123456789ab-42"), QStringLiteral("2026-11-28T15:04:05.123Z"),
                     QStringLiteral("error"), QStringLiteral("call_failed"),
                     QStringLiteral("elevenlabs"), QStringLiteral("call-7"), QStringLiteral("3"),
                     QStringLiteral("open"), QStringLiteral("closed"), QStringLiteral("half_open"),
                     QStringLiteral("retries_exhausted"), QStringLiteral("12.346"),
                     QStringLiteral("-250"), QStringLiteral("transient"), QStringLiteral("503"),
                     QStringLiteral("service_unavailable"),
                     QStringLiteral("Service \"Unavailable\"\nline two")}));
    // Numbers the program formatted, and only those, are numbers.
    const QSet<std::size_t> numeric = {6, 11, 12, 14};
    for (std::size_t i = 0; i < row.size(); ++i)
        QVERIFY2(row[i].isNumber == numeric.contains(i), kSheetsColumns[i].data());
}

void TestSheetsRow::absentFieldsAreEmptyCells()
{
    SheetsRowFormatter formatter(kRun);
    Event e = bareEvent();
    e.latencyMs = std::numeric_limits<double>::quiet_NaN(); // left out, as app.log does
    const SheetsRow row = formatter.row(e);
    QCOMPARE(
        texts(row).mid(0, 4),
        QStringList({QStringLiteral("0123456789ab-1"), QStringLiteral("2026-11-28T15:04:05.123Z"),
                     QStringLiteral("info"), QStringLiteral("breaker_transition")}));
    for (std::size_t i = 4; i < row.size(); ++i) {
        QVERIFY2(row[i].text.isEmpty(), kSheetsColumns[i].data());
        QVERIFY2(!row[i].isNumber, kSheetsColumns[i].data());
    }
    QCOMPARE(SheetsRowFormatter::toJson(row),
             QByteArray(R"(["0123456789ab-1","2026-11-28T15:04:05.123Z","info",)"
                        R"("breaker_transition","","","","","","","","","","","","",""])"));
}

void TestSheetsRow::csvIsTheCsvExportWithTheEventId_data()
{
    QTest::addColumn<Event>("event");
    QTest::addRow("every field") << fullEvent();
    QTest::addRow("no field") << bareEvent();
    Event formula = fullEvent();
    formula.message = QStringLiteral("=HYPERLINK(\"http://evil.example\",\"click\")");
    formula.errorCode = QStringLiteral("+cmd");
    formula.reason = QStringLiteral("@SUM(A1)");
    formula.service = QStringLiteral("-2+3");
    QTest::addRow("formula-like text") << formula;
    Event text = fullEvent();
    text.message = QStringLiteral("Ausfall \u2014 \U0001F525, \"quoted\"\r\n\ttabbed");
    QTest::addRow("unicode, quotes, line breaks") << text;
}

void TestSheetsRow::csvIsTheCsvExportWithTheEventId()
{
    QFETCH(Event, event);
    SheetsRowFormatter formatter(kRun);
    const QByteArray expected =
        QStringLiteral("%1-%2,").arg(kRun).arg(event.sequence).toLatin1() + exportCsvOf(event);
    QCOMPARE(csvOf(formatter.row(event)), expected);
}

void TestSheetsRow::jsonRowReadsBackAsTheCells_data()
{
    csvIsTheCsvExportWithTheEventId_data();
    Event lone = fullEvent();
    lone.message = QStringLiteral("half a pair: ") + QChar(0xd83d) + QStringLiteral(" end");
    QTest::addRow("lone surrogate") << lone;
    Event control = fullEvent();
    control.message = QStringLiteral("bell \a and nul ") + QChar(0) + QStringLiteral(" \\ back");
    QTest::addRow("control characters") << control;
}

void TestSheetsRow::jsonRowReadsBackAsTheCells()
{
    QFETCH(Event, event);
    SheetsRowFormatter formatter(kRun);
    const SheetsRow row = formatter.row(event);
    const QByteArray json = SheetsRowFormatter::toJson(row);
    QVERIFY2(!json.contains('\n'), json.constData()); // one queue line
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonArray cells = document.array();
    QCOMPARE(cells.size(), qsizetype(kSheetsColumnCount));
    for (std::size_t i = 0; i < row.size(); ++i) {
        const QJsonValue cell = cells.at(qsizetype(i));
        if (row[i].isNumber) {
            QVERIFY2(cell.isDouble(), kSheetsColumns[i].data());
            QCOMPARE(cell.toDouble(), row[i].text.toDouble());
            continue;
        }
        QVERIFY2(cell.isString(), kSheetsColumns[i].data());
        QString expected = row[i].text;
        // JSON cannot carry half a surrogate pair: it becomes U+FFFD, as in app.log.
        for (qsizetype at = 0; at < expected.size(); ++at) {
            const bool paired = at + 1 < expected.size() && expected.at(at).isHighSurrogate() &&
                                expected.at(at + 1).isLowSurrogate();
            if (paired)
                ++at;
            else if (expected.at(at).isSurrogate())
                expected[at] = QChar(0xfffd);
        }
        // RAW keeps the text as it is: no `'` in the spreadsheet, unlike sheets.csv.
        QCOMPARE(cell.toString(), expected);
    }
}

void TestSheetsRow::eventIdsAreUniqueAcrossRuns()
{
    const QString runA = newSheetsRunId();
    const QString runB = newSheetsRunId();
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{12}$"));
    QVERIFY2(hex.match(runA).hasMatch(), qPrintable(runA));
    QVERIFY(runA != runB);

    // Both runs' streams number from 1, and events without a sequence take the formatter's own.
    SheetsRowFormatter a(runA);
    SheetsRowFormatter b(runB);
    QSet<QString> ids;
    for (std::uint64_t sequence = 0; sequence <= 500; ++sequence) {
        for (SheetsRowFormatter* formatter : {&a, &b}) {
            const QString id = formatter->row(bareEvent(sequence))[0].text;
            QVERIFY2(!ids.contains(id), qPrintable(id));
            ids.insert(id);
        }
    }
    QCOMPARE(ids.size(), 1002);
    QCOMPARE(a.eventId(bareEvent(9)), runA + QStringLiteral("-9"));
    QVERIFY(a.eventId(bareEvent(0)).startsWith(runA + QStringLiteral("-u")));
}

void TestSheetsRow::longTextIsCutBelowTheSheetsCellLimit()
{
    SheetsRowFormatter formatter(kRun);
    Event e = fullEvent();
    e.message = QString(60'000, u'x');
    // A surrogate pair right where the cut falls: kept whole or not at all.
    const qsizetype cut =
        SheetsRowFormatter::kMaxCellLength - SheetsRowFormatter::kTruncationMark.size();
    e.reason = QString(cut - 1, u'y') + QStringLiteral("\U0001F525") + QString(100, u'z');
    const SheetsRow row = formatter.row(e);
    const QString message = row[16].text;
    QCOMPARE(message.size(), SheetsRowFormatter::kMaxCellLength);
    QVERIFY(message.endsWith(SheetsRowFormatter::kTruncationMark));
    const QString reason = row[10].text;
    QVERIFY(reason.size() <= SheetsRowFormatter::kMaxCellLength);
    QVERIFY(reason.endsWith(SheetsRowFormatter::kTruncationMark));
    for (qsizetype i = 0; i < reason.size(); ++i) {
        if (reason.at(i).isHighSurrogate())
            QVERIFY(i + 1 < reason.size() && reason.at(i + 1).isLowSurrogate());
        if (reason.at(i).isLowSurrogate())
            QVERIFY(i > 0 && reason.at(i - 1).isHighSurrogate());
    }
    // Short text is never touched.
    QCOMPARE(row[15].text, QStringLiteral("service_unavailable"));
}

void TestSheetsRow::selectsEventsByTheirLogNames()
{
    const SheetsEventSelection defaults = selectSheetsEvents(SheetsSettings{}.events);
    QCOMPARE(defaults.count(), std::size_t(5));
    for (const EventType type :
         {EventType::CallSucceeded, EventType::CallFailed, EventType::CallSkipped,
          EventType::CallDegraded, EventType::BreakerTransition})
        QVERIFY2(defaults.test(std::size_t(type)), qPrintable(eventTypeName(type)));
    QVERIFY(!defaults.test(std::size_t(EventType::AttemptFailed)));

    const SheetsEventSelection some =
        selectSheetsEvents({QStringLiteral("attempt_failed"), QStringLiteral("no_such_event"),
                            QStringLiteral("sheets_rows_dropped")});
    QCOMPARE(some.count(), std::size_t(2));
    QVERIFY(some.test(std::size_t(EventType::AttemptFailed)));
    QVERIFY(some.test(std::size_t(EventType::SheetsRowsDropped)));
}

QTEST_GUILESS_MAIN(TestSheetsRow)
#include "tst_sheetsrow.moc"
