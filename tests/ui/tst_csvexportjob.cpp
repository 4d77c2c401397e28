#include "csvexportevents.h"
#include "log/csvexportjob.h"
#include "log/logfilterproxy.h"
#include "log/logtablemodel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <unistd.h>
#include <vector>

Q_DECLARE_METATYPE(breakwater::LogFilterSettings)

using namespace breakwater;
using namespace breakwater::csvtest;
using namespace breakwater::csvexporttest;

namespace {

constexpr int kFinishTimeoutMs = 120'000;      // a debug build on a busy 2-core machine
constexpr qint64 kRowsPerProgressCheck = 4096; // CsvExportJob looks at the clock this often
constexpr qint64 kProgressIntervalMs = 100;

struct Outcome
{
    bool ok = false;
    qint64 rowsWritten = -1;
    QString error;
};

Outcome outcomeOf(const QSignalSpy& finished)
{
    const QList<QVariant> args = finished.constFirst();
    return {args.at(0).toBool(), args.at(1).toLongLong(), args.at(2).toString()};
}

} // namespace

class TestCsvExportJob : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LogTableModel> m_large;
    int m_paths = 0;

    // A fresh directory per test, so a test can tell exactly what an export left in it.
    QString freshDir()
    {
        const QString dir = m_dir.filePath(QStringLiteral("d%1").arg(++m_paths));
        return QDir().mkpath(dir) ? dir : QString();
    }

    static void append(LogTableModel& model, const std::vector<Event>& events)
    {
        model.appendEvents(std::span<const Event>(events));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_large = std::make_unique<LogTableModel>();
        append(*m_large, largeEvents());
        QCOMPARE(m_large->rowsHeld(), qsizetype(kLargeRows));
    }

    void cleanupTestCase() { m_large.reset(); }

    void exportsEveryRowAsItsEventSays()
    {
        const std::vector<Event> events = hostileEvents(3000);
        LogTableModel model;
        append(model, events);
        const QString dir = freshDir();
        const QString path = dir + QStringLiteral("/all.csv");

        CsvExportJob job(model.snapshot(), std::nullopt, path);
        QCOMPARE(job.rowsInSnapshot(), qsizetype(events.size()));
        QSignalSpy finished(&job, &CsvExportJob::finished);
        job.start();
        QVERIFY(job.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        QVERIFY(!job.isRunning());
        const Outcome outcome = outcomeOf(finished);
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QCOMPARE(outcome.rowsWritten, qint64(events.size()));
        QCOMPARE(outcome.error, QString());
        QCOMPARE(entries(dir), QStringList{QStringLiteral("all.csv")});

        const CsvReadBack read = readCsvWithPython(path);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(events.size()) + 1);
        QCOMPARE(read.records[0], headerCells());
        for (std::size_t i = 0; i < events.size(); ++i) {
            const QStringList expected = expectedCells(events[i]);
            const QStringList& got = read.records[qsizetype(i) + 1];
            QCOMPARE(got.size(), expected.size());
            for (qsizetype c = 0; c < expected.size(); ++c) {
                if (got[c] != expected[c]) {
                    QFAIL(qPrintable(
                        QStringLiteral("row %1, column %2: got \"%3\", expected \"%4\"")
                            .arg(i)
                            .arg(headerCells()[c], got[c].left(80), expected[c].left(80))));
                }
            }
        }
    }

    // The snapshot is the log at one moment: rows appended later, or a clear, do not reach the
    // file.
    void exportsTheSnapshotNotLaterRows()
    {
        const std::vector<Event> events = hostileEvents(50);
        LogTableModel model;
        append(model, std::vector<Event>(events.begin(), events.begin() + 20));
        CsvExportJob job(model.snapshot(), std::nullopt,
                         freshDir() + QStringLiteral("/snapshot.csv"));
        append(model, std::vector<Event>(events.begin() + 20, events.end()));
        model.clear();
        QSignalSpy finished(&job, &CsvExportJob::finished);
        job.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        QVERIFY2(outcomeOf(finished).ok, qPrintable(outcomeOf(finished).error));
        QCOMPARE(outcomeOf(finished).rowsWritten, qint64(20));

        const CsvReadBack read = readCsvWithPython(job.path());
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(21));
        for (int i = 0; i < 20; ++i)
            QCOMPARE(read.records[i + 1], expectedCells(events[std::size_t(i)]));
    }

    void filterWritesOnlyMatchingRows_data()
    {
        QTest::addColumn<LogFilterSettings>("filter");
        const auto settings = [](auto&& change) {
            LogFilterSettings s;
            change(s);
            return s;
        };
        QTest::addRow("nothing filtered") << LogFilterSettings{};
        QTest::addRow("warning and above")
            << settings([](LogFilterSettings& s) { s.minimumLevel = EventLevel::Warning; });
        QTest::addRow("failures only") << settings([](LogFilterSettings& s) {
            s.eventTypes = LogFilterSettings::typeBit(EventType::AttemptFailed) |
                           LogFilterSettings::typeBit(EventType::CallFailed);
        });
        QTest::addRow("hostile service name")
            << settings([](LogFilterSettings& s) { s.service = services()[2]; });
        // Case-insensitive substring of message, reason or error code.
        QTest::addRow("text =hyperlink")
            << settings([](LogFilterSettings& s) { s.text = QStringLiteral("=hyperlink"); });
        QTest::addRow("call id") << settings(
            [](LogFilterSettings& s) { s.text = QStringLiteral("call-7"); });
        QTest::addRow("combined") << settings([](LogFilterSettings& s) {
            s.minimumLevel = EventLevel::Info;
            s.service = QStringLiteral("tts-b");
            s.text = QStringLiteral("日本語");
        });
        QTest::addRow("matches nothing")
            << settings([](LogFilterSettings& s) { s.text = QStringLiteral("no such text"); });
    }
    // An export of "the current filter" writes what the log view shows: the rows the real
    // LogFilterProxy accepts, in order, and no others.
    void filterWritesOnlyMatchingRows()
    {
        QFETCH(LogFilterSettings, filter);
        const std::vector<Event> events = hostileEvents(1000);
        LogTableModel model;
        append(model, events);
        LogFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.setSettings(filter);
        QList<QStringList> expected{headerCells()};
        for (int row = 0; row < proxy.rowCount(); ++row) {
            const int source = proxy.mapToSource(proxy.index(row, 0)).row();
            expected.append(expectedCells(events[std::size_t(source)]));
        }
        if (!filter.acceptsEverything())
            QVERIFY(proxy.rowCount() < int(events.size())); // the filter does filter

        CsvExportJob job(model.snapshot(), filter, freshDir() + QStringLiteral("/filtered.csv"));
        QSignalSpy finished(&job, &CsvExportJob::finished);
        job.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        const Outcome outcome = outcomeOf(finished);
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QCOMPARE(outcome.rowsWritten, qint64(proxy.rowCount()));

        const CsvReadBack read = readCsvWithPython(job.path());
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(read.records[i], expected[i]);
    }

    // Cancelled at its first progress report, with most rows still to write: no file appears,
    // an old file at the path keeps its bytes, and no temporary file is left behind.
    void cancelMidwayLeavesTheOldFileUntouched()
    {
        const QString dir = freshDir();
        const QString path = dir + QStringLiteral("/big.csv");
        const QByteArray old("an older export, which must survive\r\n");
        writeFile(path, old);

        CsvExportJob job(m_large->snapshot(), std::nullopt, path);
        qint64 cancelledAt = -1;
        connect(&job, &CsvExportJob::progress, this, [&](qint64 scanned, qint64 total) {
            if (cancelledAt < 0 && scanned < total) {
                job.cancel();
                cancelledAt = scanned;
            }
        });
        QSignalSpy finished(&job, &CsvExportJob::finished);
        job.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        QVERIFY2(cancelledAt > 0, "the export finished before its first progress report");
        const Outcome outcome = outcomeOf(finished);
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.contains(QStringLiteral("cancel"), Qt::CaseInsensitive),
                 qPrintable(outcome.error));
        QVERIFY(outcome.rowsWritten < kLargeRows);
        QCOMPARE(contents(path), old);
        QCOMPARE(entries(dir), QStringList{QStringLiteral("big.csv")});
    }

    void cancelRightAfterStartWritesNothing()
    {
        const QString dir = freshDir();
        CsvExportJob job(m_large->snapshot(), std::nullopt, dir + QStringLiteral("/never.csv"));
        QSignalSpy finished(&job, &CsvExportJob::finished);
        job.start();
        job.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        QVERIFY(!outcomeOf(finished).ok);
        QVERIFY(!outcomeOf(finished).error.isEmpty());
        QCOMPARE(entries(dir), QStringList());
    }

    // Destroying a running job (the window closing mid-export) cancels and joins it: nothing
    // is written and nothing is delivered to the object that is gone.
    void destroyingARunningJobWritesNothing()
    {
        const QString dir = freshDir();
        const QString path = dir + QStringLiteral("/closing.csv");
        const QByteArray old("old\r\n");
        writeFile(path, old);
        auto job = std::make_unique<CsvExportJob>(m_large->snapshot(), std::nullopt, path);
        int finishedCount = 0;
        int progressCount = 0;
        bool midway = false;
        QEventLoop loop;
        connect(job.get(), &CsvExportJob::finished, this, [&] { ++finishedCount; });
        connect(job.get(), &CsvExportJob::progress, &loop, [&](qint64 scanned, qint64 total) {
            ++progressCount;
            midway = scanned < total;
            loop.quit();
        });
        QTimer::singleShot(kFinishTimeoutMs, &loop, &QEventLoop::quit);
        job->start();
        loop.exec(); // until the first progress report: the export is under way
        QVERIFY2(progressCount == 1 && midway, "no progress report before the export finished");

        job.reset();
        const int progressAtDestruction = progressCount;
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(finishedCount, 0);
        QCOMPARE(progressCount, progressAtDestruction);
        QCOMPARE(contents(path), old);
        QCOMPARE(entries(dir), QStringList{QStringLiteral("closing.csv")});
    }

    void unwritablePathReportsAClearError_data()
    {
        QTest::addColumn<QString>("relativePath");
        QTest::addRow("missing directory") << QStringLiteral("missing/out.csv");
        QTest::addRow("parent is a file") << QStringLiteral("plain-file/out.csv");
        QTest::addRow("path is a directory") << QStringLiteral("a-directory");
        // Permissions do not stop root, so this case only exists where they mean something.
        if (::geteuid() != 0)
            QTest::addRow("read-only directory") << QStringLiteral("read-only/out.csv");
    }
    void unwritablePathReportsAClearError()
    {
        QFETCH(QString, relativePath);
        const QString dir = freshDir();
        writeFile(dir + QStringLiteral("/plain-file"), "not a directory");
        QVERIFY(QDir(dir).mkdir(QStringLiteral("a-directory")));
        const QString readOnly = dir + QStringLiteral("/read-only");
        QVERIFY(QDir(dir).mkdir(QStringLiteral("read-only")));
        QVERIFY(QFile::setPermissions(readOnly, QFile::ReadOwner | QFile::ExeOwner));
        // Writable again afterwards, so the temporary directory can be removed.
        const auto restore = qScopeGuard([&] {
            QFile::setPermissions(readOnly, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        });
        const QStringList before = entries(dir);
        const QString path = dir + QLatin1Char('/') + relativePath;

        CsvExportJob job(m_large->snapshot(), std::nullopt, path);
        QSignalSpy finished(&job, &CsvExportJob::finished);
        job.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        const Outcome outcome = outcomeOf(finished);
        QVERIFY(!outcome.ok);
        QCOMPARE(outcome.rowsWritten, qint64(0));
        // Names the file and says why: "Cannot write <path>: <reason>", the reason not empty.
        const QString named = QDir::toNativeSeparators(path) + QStringLiteral(": ");
        const qsizetype at = outcome.error.indexOf(named);
        QVERIFY2(at >= 0, qPrintable(outcome.error));
        QVERIFY2(outcome.error.size() > at + named.size() + 3, qPrintable(outcome.error));
        QCOMPARE(entries(dir), before);
        QCOMPARE(entries(readOnly), QStringList());
        QVERIFY(QFileInfo(dir + QStringLiteral("/a-directory")).isDir());
    }

    // Progress: a handful of updates however many rows, in order, ending at the total, all
    // before finished().
    void progressIsBoundedAndEndsAtTheTotal()
    {
        const QString path = freshDir() + QStringLiteral("/progress.csv");
        CsvExportJob job(m_large->snapshot(), std::nullopt, path);
        std::vector<std::pair<qint64, qint64>> updates;
        int updatesAfterFinish = 0;
        bool done = false;
        connect(&job, &CsvExportJob::progress, this, [&](qint64 scanned, qint64 total) {
            updates.emplace_back(scanned, total);
            updatesAfterFinish += done ? 1 : 0;
        });
        QSignalSpy finished(&job, &CsvExportJob::finished);
        connect(&job, &CsvExportJob::finished, this, [&done] { done = true; });
        QElapsedTimer clock;
        clock.start();
        job.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        const qint64 elapsedMs = clock.elapsed();
        QVERIFY2(outcomeOf(finished).ok, qPrintable(outcomeOf(finished).error));
        QCOMPARE(outcomeOf(finished).rowsWritten, qint64(kLargeRows));
        QCoreApplication::processEvents();
        QCOMPARE(updatesAfterFinish, 0);

        QVERIFY(!updates.empty());
        QCOMPARE(updates.back(), (std::pair<qint64, qint64>(kLargeRows, kLargeRows)));
        for (std::size_t i = 0; i < updates.size(); ++i) {
            QCOMPARE(updates[i].second, qint64(kLargeRows));
            QVERIFY(updates[i].first >= 0 && updates[i].first <= kLargeRows);
            if (i > 0)
                QVERIFY(updates[i].first > updates[i - 1].first);
        }
        // At most one update per clock check and per interval, plus the final one. Both bounds
        // hold however fast or slow the machine is.
        const auto count = qint64(updates.size());
        QVERIFY2(count <= kLargeRows / kRowsPerProgressCheck + 2,
                 qPrintable(QString::number(count)));
        QVERIFY2(count <= elapsedMs / kProgressIntervalMs + 1,
                 qPrintable(QStringLiteral("%1 updates in %2 ms").arg(count).arg(elapsedMs)));

        // The file is whole: the header, every row (each 1 MiB chunk joined up cleanly, or the
        // parser would have stumbled), the last one as its event says.
        const CsvReadBack read = readCsvWithPython(path, ReadBack::FirstAndLast);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.count, qsizetype(kLargeRows) + 1);
        QCOMPARE(read.records.size(), qsizetype(2));
        QCOMPARE(read.records.front(), headerCells());
        QCOMPARE(read.records.back(), expectedCells(m_large->event(kLargeRows - 1)));
    }

    // finished() comes once per start(): a second start() while running is ignored, and a job
    // can run again once finished, replacing its file.
    void finishesOncePerStartAndRunsAgain()
    {
        const std::vector<Event> events = hostileEvents(100);
        LogTableModel model;
        append(model, events);
        const QString path = freshDir() + QStringLiteral("/again.csv");
        CsvExportJob job(model.snapshot(), std::nullopt, path);
        QSignalSpy finished(&job, &CsvExportJob::finished);
        job.start();
        job.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        QCoreApplication::processEvents();
        QCOMPARE(finished.count(), 1);
        QVERIFY(outcomeOf(finished).ok);

        writeFile(path, "overwritten\r\n");
        job.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kFinishTimeoutMs);
        QVERIFY(finished.at(1).at(0).toBool());
        const CsvReadBack read = readCsvWithPython(path);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(events.size()) + 1);
    }
};

QTEST_MAIN(TestCsvExportJob)
#include "tst_csvexportjob.moc"
