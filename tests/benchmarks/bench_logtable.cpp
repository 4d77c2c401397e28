// The dashboard's log table at its default size: a million events in LogTableModel, what each row
// costs in heap, how long appending, filtering and exporting them to CSV take. Prints medians
// over a few repetitions; a program rather than a Google Benchmark because each figure is one
// large operation (an export of a million rows), timed end to end as a user waits for it.
//
//   bench_logtable [--rows 1000000] [--repetitions 5]

#include "floodevents.h"
#include "log/csvexportjob.h"
#include "log/logfilterproxy.h"
#include "log/logtablemodel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <malloc.h>
#include <vector>

using namespace breakwater;

namespace {

// Bytes the heap has handed out, counting large blocks glibc maps on their own.
double heapBytesInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return double(info.uordblks) + double(info.hblkhd);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values[values.size() / 2];
}

// Every row with a message of its own: the worst case for the table's string storage (no two
// rows share text, so nothing is interned).
Event uniqueMessageEvent(std::uint64_t n)
{
    Event e = floodEvent(n);
    e.message = QStringLiteral("HTTP 503 from the service, request %1 of the batch").arg(n);
    return e;
}

// Appends `rows` events in batches of the size the bridge delivers under a 20,000 events/s
// flood (2,000 a tenth of a second). Returns the seconds it took.
template <typename MakeEvent> double fill(LogTableModel& model, qsizetype rows, MakeEvent make)
{
    constexpr qsizetype kBatch = 2'000;
    std::vector<Event> batch;
    batch.reserve(kBatch);
    QElapsedTimer timer;
    timer.start();
    for (qsizetype done = 0; done < rows;) {
        batch.clear();
        for (qsizetype i = 0; i < kBatch && done < rows; ++i, ++done)
            batch.push_back(make(std::uint64_t(done)));
        model.appendEvents(batch);
    }
    return double(timer.nsecsElapsed()) / 1e9;
}

struct ExportRun
{
    double seconds = 0.0;
    qint64 rows = 0;
    qint64 bytes = 0;
};

ExportRun exportOnce(LogTableModel& model, const QString& path,
                     std::optional<LogFilterSettings> filter = std::nullopt)
{
    CsvExportJob job(model.snapshot(), std::move(filter), path);
    ExportRun run;
    QEventLoop loop;
    QObject::connect(&job, &CsvExportJob::finished, &loop,
                     [&](bool ok, qint64 rowsWritten, const QString& error) {
                         if (!ok)
                             std::fprintf(stderr, "export failed: %s\n", qPrintable(error));
                         run.rows = rowsWritten;
                         loop.quit();
                     });
    QElapsedTimer timer;
    timer.start();
    job.start();
    loop.exec();
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    run.bytes = QFileInfo(path).size();
    return run;
}

void reportMemory(const char* what, qsizetype rows, double before, double after)
{
    std::printf("%s: %lld rows, heap %.1f MiB, %.1f bytes per row\n", what,
                static_cast<long long>(rows), (after - before) / (1 << 20),
                (after - before) / double(rows));
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption rowsOption(QStringLiteral("rows"), QStringLiteral("Rows held."),
                                        QStringLiteral("n"), QStringLiteral("1000000"));
    const QCommandLineOption repetitionsOption(QStringLiteral("repetitions"),
                                               QStringLiteral("Runs of each timed step."),
                                               QStringLiteral("n"), QStringLiteral("5"));
    parser.addOptions({rowsOption, repetitionsOption});
    parser.process(app);
    const qsizetype rows = parser.value(rowsOption).toLongLong();
    const int repetitions = std::max(1, parser.value(repetitionsOption).toInt());
    QTemporaryDir dir;

    {
        const double before = heapBytesInUse();
        LogTableModel model(rows);
        const double seconds = fill(model, rows, floodEvent);
        reportMemory("memory, a loaded pipeline's events", rows, before, heapBytesInUse());
        std::printf("append: %.0f ns per row (%.2f M rows/s) in batches of 2,000\n",
                    seconds * 1e9 / double(rows), double(rows) / seconds / 1e6);

        // Twice the capacity through the ring: what it holds after evicting must not grow.
        const double full = heapBytesInUse();
        fill(model, rows, floodEvent);
        std::printf("memory after %lld more rows pushed the first ones out: %+.1f MiB\n",
                    static_cast<long long>(rows), (heapBytesInUse() - full) / (1 << 20));

        std::vector<double> everything;
        ExportRun last;
        for (int i = 0; i < repetitions; ++i) {
            last = exportOnce(model, dir.filePath(QStringLiteral("all.csv")));
            everything.push_back(last.seconds);
        }
        std::printf("CSV export, every row: median %.2f s for %lld rows (%.0f MB, %.2f M rows/s)\n",
                    median(everything), static_cast<long long>(last.rows), double(last.bytes) / 1e6,
                    double(last.rows) / median(everything) / 1e6);

        LogFilterSettings failures;
        failures.minimumLevel = EventLevel::Warning;
        std::vector<double> filtered;
        for (int i = 0; i < repetitions; ++i) {
            last = exportOnce(model, dir.filePath(QStringLiteral("warnings.csv")), failures);
            filtered.push_back(last.seconds);
        }
        std::printf("CSV export, warnings and worse: median %.3f s, %lld of %lld rows\n",
                    median(filtered), static_cast<long long>(last.rows),
                    static_cast<long long>(rows));

        LogFilterProxy proxy;
        proxy.setSourceModel(&model);
        std::vector<double> textFilter;
        for (int i = 0; i < repetitions; ++i) {
            QElapsedTimer timer;
            timer.start();
            proxy.setText(QStringLiteral("call-%1").arg(1000 + i));
            // The proxy maps rows when first asked: rowCount() is what a view does next.
            (void)proxy.rowCount();
            textFilter.push_back(double(timer.nsecsElapsed()) / 1e6);
        }
        std::printf("filter by call id over %lld rows: median %.1f ms, %d rows shown\n",
                    static_cast<long long>(rows), median(textFilter), proxy.rowCount());
    }
    {
        const double before = heapBytesInUse();
        LogTableModel model(rows);
        fill(model, rows, uniqueMessageEvent);
        reportMemory("memory, worst case: a unique 50-character message on every row", rows, before,
                     heapBytesInUse());
    }
    return 0;
}
