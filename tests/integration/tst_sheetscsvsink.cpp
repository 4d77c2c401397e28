#include "csvreadback.h"
#include "sheetssinkrig.h"
#include "telemetry/sheets/sheetscsvsink.h"

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>
#include <QTest>

using namespace breakwater;
using namespace breakwater::csvtest;
using namespace breakwater::sheetstest;
using namespace std::chrono_literals;

namespace {

QStringList header()
{
    QStringList names;
    for (const std::string_view name : kSheetsColumns)
        names.append(QString::fromLatin1(name.data(), qsizetype(name.size())));
    return names;
}

QString cell(const QStringList& record, std::string_view column)
{
    return record.value(sheetsColumn(column));
}

QString wallTimeText(WallTime time)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
    return QDateTime::fromMSecsSinceEpoch(ms.count(), Qt::UTC).toString(Qt::ISODateWithMs);
}

// What the CSV holds for a hostile outcome, stated from the event, not from the formatter.
void verifyRecord(const QStringList& record, const Event& e)
{
    QCOMPARE(record.size(), qsizetype(kSheetsColumnCount));
    static const QRegularExpression id(QStringLiteral("^[0-9a-f]{12}-([0-9]+)$"));
    const QRegularExpressionMatch match = id.match(cell(record, "event_id"));
    QVERIFY2(match.hasMatch(), qPrintable(cell(record, "event_id")));
    QCOMPARE(match.captured(1), QString::number(e.sequence));
    QCOMPARE(cell(record, "ts"), wallTimeText(e.time));
    QCOMPARE(cell(record, "level"), eventLevelName(e.level));
    QCOMPARE(cell(record, "event"), eventTypeName(e.type));
    QCOMPARE(cell(record, "call_id"), callIdText(e.callId));
    QCOMPARE(cell(record, "attempt"), QString::number(e.attempt));
    QCOMPARE(cell(record, "http_status"), QString::number(e.httpStatus));
    // Free text reads back as it went in, with the `'` that keeps a formula from running.
    QCOMPARE(cell(record, "service"), neutralised(e.service));
    QCOMPARE(cell(record, "reason"), neutralised(e.reason));
    QCOMPARE(cell(record, "error_code"), neutralised(e.errorCode));
    QCOMPARE(cell(record, "message"), neutralised(e.message));
}

} // namespace

// sheets.csv: where the Sheets rows go without a spreadsheet, read back with Python's csv module.
class TestSheetsCsvSink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void withoutASpreadsheetTheRowsGoToSheetsCsv()
    {
        QTemporaryDir dir;
        const QString logDir = dir.filePath(QStringLiteral("logs")); // not there yet
        SheetsSettings settings;
        settings.bearerToken = QStringLiteral("ya29.bearer-never-written-3b8f1d");
        test::RecordingPublisher events;
        const std::unique_ptr<SheetsRowSink> sink = makeSheetsRowSink(settings, logDir, events);
        QVERIFY(dynamic_cast<SheetsCsvSink*>(sink.get()));
        QCOMPARE(sink->start(), QString());
        const QString path = QDir(logDir).filePath(QStringLiteral("sheets.csv"));
        QCOMPARE(sink->destination(), path);

        std::vector<Event> all;
        std::vector<Event> selected;
        for (std::uint64_t seq = 1; seq <= 30; ++seq) {
            all.push_back(seq % 3 == 0 ? unselected(seq, EventType::HealthProbe)
                                       : hostileOutcome(seq));
            if (seq % 3 != 0)
                selected.push_back(all.back());
        }
        feed(*sink, all);
        sink->flush();
        sink->stop(0s);
        QCOMPARE(sink->rowsSent(), std::uint64_t(selected.size()));
        QCOMPARE(sink->queuedRows(), std::uint64_t(0));

        const CsvReadBack read = readCsvWithPython(path);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(selected.size()) + 1);
        QCOMPARE(read.records.front(), header());
        for (std::size_t i = 0; i < selected.size(); ++i)
            verifyRecord(read.records[qsizetype(i) + 1], selected[i]);
        QCOMPARE(findSecret({settings.bearerToken}, events.recorder().events(), {sink->lastError()},
                            dir.path()),
                 QString());
        QCOMPARE(countOf(events, EventType::SheetsAppendFailed), 0);
    }

    // The same events through the spreadsheet and through sheets.csv: the same cells, column by
    // column, but for the `'` in front of formula-like text.
    void theCsvColumnsAreTheSheetsRows()
    {
        testing::TestServiceAccount account;
        QVERIFY2(account.isValid(), qPrintable(account.errorString()));
        SheetsRig rig(account);
        const QString runId = QStringLiteral("5ba7e0c1d2f3");
        auto sheets = rig.sink(rig.settings(), rig.options(runId));
        SheetsCsvSink csv(SheetsSettings{}, rig.logDir.path(), rig.events, runId);
        QCOMPARE(sheets->start(), QString());
        QCOMPARE(csv.start(), QString());

        std::vector<Event> events = callOutcomes(1, 12); // latencies, attempts, a failure
        for (std::uint64_t seq = 13; seq <= 24; ++seq)
            events.push_back(hostileOutcome(seq));
        feed(*sheets, events);
        feed(csv, events);
        csv.flush();
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 24, 10'000);

        const CsvReadBack read = readCsvWithPython(csv.filePath());
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(25));
        QCOMPARE(read.records.front(), header());
        for (qsizetype r = 0; r < 24; ++r) {
            const QJsonArray& row = rig.server.rows()[std::size_t(r)];
            const QStringList& record = read.records[r + 1];
            QCOMPARE(record.size(), row.size());
            for (qsizetype c = 0; c < row.size(); ++c) {
                const QString where = QStringLiteral("row %1 column %2").arg(r).arg(header()[c]);
                if (row.at(c).isDouble()) {
                    bool ok = false;
                    QVERIFY2(record[c].toDouble(&ok) == row.at(c).toDouble() && ok,
                             qPrintable(where + QStringLiteral(": ") + record[c]));
                } else {
                    QVERIFY2(row.at(c).isString(), qPrintable(where));
                    QCOMPARE(record[c], neutralised(row.at(c).toString()));
                }
            }
        }
    }

    void aLaterRunAppendsWithoutASecondHeader()
    {
        QTemporaryDir dir;
        test::RecordingPublisher events;
        const std::vector<Event> first = callOutcomes(1, 4);
        const std::vector<Event> second = callOutcomes(1, 3);
        for (const std::vector<Event>* run : {&first, &second}) {
            SheetsCsvSink sink(SheetsSettings{}, dir.path(), events);
            QCOMPARE(sink.start(), QString());
            feed(sink, *run);
            sink.stop(0s);
        }
        const CsvReadBack read =
            readCsvWithPython(QDir(dir.path()).filePath(QStringLiteral("sheets.csv")));
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(1 + 4 + 3));
        QCOMPARE(read.records.front(), header());
        QCOMPARE(cell(read.records[5], "call_id"), callIdText(1));
        QVERIFY(cell(read.records[1], "event_id") != cell(read.records[5], "event_id"));
    }
};

QTEST_GUILESS_MAIN(TestSheetsCsvSink)
#include "tst_sheetscsvsink.moc"
