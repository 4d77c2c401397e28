#pragma once

#include "retry/backoff.h"
#include "sheetsappend.h"
#include "sheetsevents.h"
#include "sheetsqueue.h"
#include "sheetsrow.h"
#include "sheetsrowsink.h"

#include <QByteArrayList>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace breakwater {

class AccessTokenSource;
class TransferCanceller;

// What the config does not say: where the queue lives, and how patiently to retry.
struct SheetsSinkOptions
{
    QString queueDirectory; // <log-dir>/sheets-queue
    // Transient failures (429, 5xx, timeouts, no connection): full-jitter backoff from base to
    // cap, never sooner than the server's Retry-After (up to an hour).
    Duration retryBase = std::chrono::seconds(1);
    Duration retryCap = std::chrono::minutes(5);
    // Refusals (400, 403, 404, a 401 a fresh token does not cure, a refused key): the rows stay
    // queued and are tried this often, so a fixed permission lets them out without a restart.
    Duration permanentRetryDelay = std::chrono::minutes(5);
    Duration dropReminderInterval = std::chrono::minutes(1);
    std::uint64_t segmentRows = 10'000;
    QString runId; // empty: newSheetsRunId()
};

// Appends one row per selected event to a Google spreadsheet with values.append.
//
// consume() (the stream's thread) turns the selected events into rows and appends them to the
// queue on disk (SheetsQueue): a buffered write, never a wait on the network. The worker
// thread ("bw-sheets") takes up to max_batch_rows of the oldest rows and sends them in one
// request, at most one request per batch_interval (retries included), and removes them once the
// API says 2xx. A 401 gets one fresh token and one more try; transient failures back off with
// jitter; refusals keep the rows and try slowly (SheetsSinkOptions). Every failure streak is
// told once (sheets_append_failed, again if its cause changes), its end too
// (sheets_append_recovered); rows the queue cannot take are counted and told
// (sheets_rows_dropped).
//
// Append is not idempotent: a batch whose answer was lost (a timeout, a stop) is sent again and
// may appear twice; the event_id column finds such duplicates.
class SheetsSink final : public SheetsRowSink
{
public:
    SheetsSink(SheetsSettings settings, EventPublisher& events, SheetsSinkOptions options);
    ~SheetsSink() override; // stop(0)
    SheetsSink(const SheetsSink&) = delete;
    SheetsSink& operator=(const SheetsSink&) = delete;

    // Opens the queue (sending what an earlier run left first), reads the key file, starts the
    // worker. An unreadable key is an error here, not a row lost later.
    [[nodiscard]] QString start() override;
    void stop(Duration grace) override;

    void consume(std::span<const Event> events) override;
    void flush() override;

    QString destination() const override;
    std::uint64_t queuedRows() const override { return m_queue.queuedRows(); }
    std::uint64_t droppedRows() const override { return m_queue.droppedRows(); }
    std::uint64_t rowsSent() const override { return m_rowsSent.load(); }
    QString lastError() const override;

    std::uint64_t appendRequests() const noexcept { return m_appendRequests.load(); }
    std::uint64_t failedRequests() const noexcept { return m_failedRequests.load(); }
    int tokensFetched() const noexcept { return m_tokensFetched.load(); }
    const QString& runId() const noexcept { return m_runId; }

private:
    struct Cause
    {
        SheetsAppendOutcome::Verdict verdict{};
        int httpStatus = 0;
        QString reason;
        bool operator==(const Cause&) const = default;
    };

    QString makeTokenSource();
    void run();
    bool waitForWork(std::unique_lock<std::mutex>& lock);
    void attempt();
    void settle(const SheetsBatch& batch, SheetsAppendOutcome outcome);
    void onAppended(const SheetsBatch& batch);
    void onFailure(SheetsAppendOutcome outcome);
    void setLastError(const QString& error);

    const SheetsSettings m_settings;
    EventPublisher& m_events;
    const SheetsSinkOptions m_options;
    const QString m_runId;
    const QUrl m_appendUrl;
    const SheetsEventSelection m_selection;
    SheetsQueue m_queue;

    // The stream's thread.
    SheetsRowFormatter m_formatter;
    QByteArrayList m_rows;
    SheetsDropReporter m_drops;

    // The worker's.
    std::unique_ptr<AccessTokenSource> m_tokens;
    const Backoff m_backoff;
    BackoffState m_jitter;
    TimePoint m_nextAttemptAt{};
    int m_failures = 0; // attempts in a row that failed
    TimePoint m_failingSince{};
    std::optional<Cause> m_toldCause;
    bool m_refreshedAfter401 = false;

    std::unique_ptr<TransferCanceller> m_canceller; // replaced by each start()
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;    // guarded by m_mutex
    TimePoint m_stopDeadline{}; // guarded by m_mutex
    bool m_finished = false;    // guarded by m_mutex
    std::condition_variable m_done;
    QString m_lastError; // guarded by m_mutex
    std::thread m_thread;

    std::atomic<std::uint64_t> m_rowsSent{0};
    std::atomic<std::uint64_t> m_appendRequests{0};
    std::atomic<std::uint64_t> m_failedRequests{0};
    std::atomic<int> m_tokensFetched{0};
};

} // namespace breakwater
