#include "csvexportjob.h"

#include "logrowmatcher.h"
#include "telemetry/csvwriter.h"
#include "telemetry/eventcsv.h"

#include <QDir>
#include <QSaveFile>

#include <chrono>
#include <pthread.h>

namespace breakwater {
namespace {

// The buffer goes to the file in pieces of about this size.
constexpr qsizetype kWriteChunk = 1024 * 1024;
// Cancellation and the progress clock are looked at once per this many rows.
constexpr qsizetype kRowsPerCheck = 4096;
constexpr std::chrono::milliseconds kProgressInterval{100};

QString nativePath(const QString& path)
{
    return QDir::toNativeSeparators(path);
}

} // namespace

CsvExportJob::CsvExportJob(LogSnapshot snapshot, std::optional<LogFilterSettings> filter,
                           QString path, QObject* parent)
    : QObject(parent)
    , m_snapshot(std::move(snapshot))
    , m_filter(std::move(filter))
    , m_path(std::move(path))
{}

CsvExportJob::~CsvExportJob()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void CsvExportJob::start()
{
    if (m_running)
        return;
    if (m_thread.joinable()) // a finished run's thread, already returned
        m_thread.join();
    m_running = true;
    m_cancelled.store(false);
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "bw-csv-export");
        deliver(run());
    });
}

void CsvExportJob::deliver(const Outcome& outcome)
{
    // Runs on the job's thread once the worker is done; dropped if the job is gone by then.
    QMetaObject::invokeMethod(
        this,
        [this, outcome] {
            if (m_thread.joinable())
                m_thread.join();
            m_running = false;
            Q_EMIT finished(outcome.ok, outcome.rowsWritten, outcome.error);
        },
        Qt::QueuedConnection);
}

void CsvExportJob::reportProgress(qint64 rowsScanned)
{
    const qint64 total = m_snapshot.size();
    QMetaObject::invokeMethod(
        this, [this, rowsScanned, total] { Q_EMIT progress(rowsScanned, total); },
        Qt::QueuedConnection);
}

CsvExportJob::Outcome CsvExportJob::run()
{
    Outcome outcome;
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        outcome.error = tr("Cannot write %1: %2").arg(nativePath(m_path), file.errorString());
        return outcome;
    }
    QByteArray buffer;
    buffer.reserve(kWriteChunk + 64 * 1024);
    CsvWriter csv(buffer);
    EventCsvFormatter formatter;
    formatter.writeHeader(csv);
    std::optional<LogRowMatcher> matcher;
    if (m_filter && !m_filter->acceptsEverything())
        matcher.emplace(*m_filter);

    const auto writeBuffer = [&] {
        if (file.write(buffer) != buffer.size())
            return false;
        buffer.resize(0);
        return true;
    };

    auto lastReport = std::chrono::steady_clock::now();
    const qsizetype total = m_snapshot.size();
    for (qsizetype i = 0; i < total; ++i) {
        if (i % kRowsPerCheck == 0) {
            if (m_cancelled.load(std::memory_order_relaxed))
                break;
            const auto now = std::chrono::steady_clock::now();
            if (now - lastReport >= kProgressInterval) {
                reportProgress(i);
                lastReport = now;
            }
        }
        const LogRowRef row = m_snapshot.at(i);
        if (matcher && !matcher->matches(row))
            continue;
        formatter.writeRecord(csv, row.event());
        ++outcome.rowsWritten;
        if (buffer.size() >= kWriteChunk && !writeBuffer())
            break;
    }
    if (m_cancelled.load()) {
        file.cancelWriting();
        outcome.error = tr("Export cancelled; %1 was not written.").arg(nativePath(m_path));
        return outcome;
    }
    if (file.error() != QFileDevice::NoError || !writeBuffer() || !file.commit()) {
        outcome.error = tr("Cannot write %1: %2").arg(nativePath(m_path), file.errorString());
        return outcome;
    }
    reportProgress(total);
    outcome.ok = true;
    return outcome;
}

} // namespace breakwater
