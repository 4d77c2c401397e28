#include "sheetssink.h"

#include "accesstoken.h"
#include "net/curltransfer.h"
#include "net/httppost.h"
#include "serviceaccount.h"

#include <pthread.h>
#include <random>

namespace breakwater {

namespace {

using std::chrono::steady_clock;
using Verdict = SheetsAppendOutcome::Verdict;

// Google suggests keeping a request under 2 MB; a row is at most about 1 MB (cells are capped),
// so a batch always has room for one.
constexpr qsizetype kMaxRequestBytes = 2 * 1024 * 1024;
// A server asking for more than an hour is not taken at its word.
constexpr Duration kMaxRetryAfter = std::chrono::hours(1);
// Our own words around a server's 300 characters at most: no cut in practice, only a bound.
constexpr qsizetype kMaxMessage = 1024;

BackoffConfig sheetsBackoff(const SheetsSinkOptions& options)
{
    BackoffConfig config;
    config.kind = BackoffKind::FullJitter;
    config.base = options.retryBase;
    config.cap = std::max(options.retryCap, options.retryBase);
    return config;
}

SheetsQueueOptions queueOptions(const SheetsSettings& settings, const SheetsSinkOptions& options)
{
    SheetsQueueOptions queue;
    queue.maxRows = std::uint64_t(std::max(settings.queueMaxRows, 1));
    queue.segmentRows = options.segmentRows;
    return queue;
}

} // namespace

SheetsSink::SheetsSink(SheetsSettings settings, EventPublisher& events, SheetsSinkOptions options)
    : m_settings(std::move(settings))
    , m_events(events)
    , m_options(std::move(options))
    , m_runId(m_options.runId.isEmpty() ? newSheetsRunId() : m_options.runId)
    , m_appendUrl(sheetsAppendUrl(m_settings))
    , m_selection(selectSheetsEvents(m_settings.events))
    , m_queue(m_options.queueDirectory, queueOptions(m_settings, m_options))
    , m_formatter(m_runId)
    , m_drops(events, QStringLiteral("the spreadsheet"), m_options.dropReminderInterval)
    , m_backoff(sheetsBackoff(m_options))
    , m_jitter(std::random_device{}())
{}

SheetsSink::~SheetsSink()
{
    stop(Duration::zero());
}

QString SheetsSink::destination() const
{
    return QStringLiteral("spreadsheet %1, %2").arg(m_settings.spreadsheetId, m_settings.range);
}

QString SheetsSink::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

void SheetsSink::setLastError(const QString& error)
{
    std::lock_guard lock(m_mutex);
    m_lastError = error;
}

QString SheetsSink::makeTokenSource()
{
    if (!m_settings.credentialsFile.isEmpty()) {
        QString error;
        std::unique_ptr<ServiceAccount> account =
            ServiceAccount::load(m_settings.credentialsFile, &error);
        if (!account)
            return error;
        // sheets.token_url, when set; else the key file's own token_uri; else Google's.
        QUrl tokenUrl = m_settings.tokenUrl;
        if (tokenUrl == SheetsSettings{}.tokenUrl && !account->tokenUri().isEmpty())
            tokenUrl = account->tokenUri();
        m_tokens =
            std::make_unique<AccessTokenSource>(std::move(account), tokenUrl, m_settings.timeout);
        return {};
    }
    if (!m_settings.bearerToken.isEmpty()) {
        m_tokens = std::make_unique<AccessTokenSource>(m_settings.bearerToken);
        return {};
    }
    return QStringLiteral("sheets.credentials_file or sheets.bearer_token is needed to write to "
                          "the spreadsheet");
}

QString SheetsSink::start()
{
    if (m_thread.joinable())
        return {};
    QStringList problems;
    if (!m_queue.isOpen()) {
        if (QString error = m_queue.open(&problems); !error.isEmpty())
            return error;
    }
    if (!m_tokens) {
        if (QString error = makeTokenSource(); !error.isEmpty())
            return error;
    }
    for (const QString& problem : problems)
        m_events.publish(sheetsRowsDroppedEvent(QStringLiteral("unreadable"), problem));
    m_canceller = std::make_unique<TransferCanceller>();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
        m_finished = false;
    }
    m_thread = std::thread([this] {
        // Named like Breakwater's other threads, so a stack dump says whose it is.
        pthread_setname_np(pthread_self(), "bw-sheets");
        run();
        std::lock_guard lock(m_mutex);
        m_finished = true;
        m_done.notify_all();
    });
    return {};
}

void SheetsSink::stop(Duration grace)
{
    const TimePoint deadline = saturatingAdd(steady_clock::now(), grace);
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_stopDeadline = deadline;
    }
    m_wake.notify_all();
    if (!m_thread.joinable())
        return;
    {
        std::unique_lock lock(m_mutex);
        if (!m_done.wait_until(lock, deadline, [this] { return m_finished; })) {
            m_canceller->cancel(); // a request still out ends now; its rows stay queued
            m_wake.notify_all();
        }
    }
    m_thread.join();
}

void SheetsSink::consume(std::span<const Event> events)
{
    m_rows.clear();
    for (const Event& event : events) {
        const auto type = std::size_t(event.type);
        if (type < m_selection.size() && m_selection.test(type))
            m_rows.append(SheetsRowFormatter::toJson(m_formatter.row(event)));
    }
    if (m_rows.isEmpty())
        return;
    const SheetsQueue::AppendResult result = m_queue.append(m_rows);
    m_drops.noteDrops(result.droppedFull, result.droppedWrite, result.error, m_queue.maxRows());
    if (result.accepted > 0) {
        // Taken and released so the worker is either before its check or already waiting: the
        // notification cannot fall between the two.
        {
            std::lock_guard lock(m_mutex);
        }
        m_wake.notify_one();
    }
}

void SheetsSink::flush()
{
    bool stopping = false;
    {
        std::lock_guard lock(m_mutex);
        stopping = m_stopping;
    }
    // The stream flushes once more after the sink is stopped: the last chance to tell drops not
    // told yet, whatever the pace. Before that, flushes come often enough to tell them at the
    // next moment the reminder interval allows.
    if (stopping)
        m_drops.finish();
    else if (m_queue.hasRoom())
        m_drops.noteRoom();
    else
        m_drops.remind();
}

void SheetsSink::run()
{
    std::unique_lock lock(m_mutex);
    while (waitForWork(lock)) {
        lock.unlock();
        attempt();
        lock.lock();
    }
}

// Waits until rows are queued and the next request is allowed; false once the worker should end.
bool SheetsSink::waitForWork(std::unique_lock<std::mutex>& lock)
{
    while (true) {
        if (m_canceller->isCancelled())
            return false;
        const bool hasRows = m_queue.queuedRows() > 0;
        // What cannot go out before the deadline waits on disk for the next start.
        if (m_stopping && (!hasRows || m_nextAttemptAt > m_stopDeadline))
            return false;
        if (!hasRows) {
            m_wake.wait(lock);
        } else if (steady_clock::now() < m_nextAttemptAt) {
            m_wake.wait_until(lock, m_nextAttemptAt);
        } else {
            return true;
        }
    }
}

void SheetsSink::attempt()
{
    const SheetsBatch batch = m_queue.peek(m_settings.maxBatchRows, kMaxRequestBytes);
    if (batch.unreadableRows > 0)
        m_events.publish(sheetsRowsDroppedEvent(
            QStringLiteral("unreadable"),
            QStringLiteral("%1 unreadable rows in the Sheets queue %2 were skipped")
                .arg(batch.unreadableRows)
                .arg(m_queue.directory())));
    if (batch.rows.isEmpty()) {
        if (!batch.isEmpty())
            (void)m_queue.acknowledge(batch); // nothing in it could be sent
        else                                  // the disk would not give the rows: do not spin on it
            m_nextAttemptAt = steady_clock::now() + m_settings.batchInterval;
        return;
    }
    const AccessTokenSource::Result token = m_tokens->token(*m_canceller);
    m_tokensFetched.store(m_tokens->fetchCount());
    if (token.error) {
        settle(batch, sheetsTokenFailure(*token.error));
        return;
    }
    HttpPost post;
    post.url = m_appendUrl;
    post.timeout = m_settings.timeout;
    post.headers = {{"Authorization", "Bearer " + token.token},
                    {"Content-Type", "application/json"},
                    {"Accept", "application/json"}};
    post.body = sheetsAppendBody(m_settings.range, batch.rows);
    // The pace counts from each request, retries included.
    m_nextAttemptAt = steady_clock::now() + m_settings.batchInterval;
    m_appendRequests.fetch_add(1);
    const HttpAnswer answer = postHttp(post, *m_canceller);
    SheetsAppendOutcome outcome =
        classifySheetsAnswer(answer, m_canceller->isCancelled(), *m_tokens);
    if (outcome.isFailure())
        m_failedRequests.fetch_add(1);
    settle(batch, std::move(outcome));
}

void SheetsSink::settle(const SheetsBatch& batch, SheetsAppendOutcome outcome)
{
    // Scrubbed again here, before invalidate() forgets the token: a token endpoint's answer has
    // only been searched for the grant, and every event and lastError() come from this.
    if (std::optional<QString> code = m_tokens->scrubbed(outcome.googleCode, 64))
        outcome.googleCode = std::move(*code);
    else
        outcome.googleCode = AccessTokenSource::kWithheldCode;
    if (std::optional<QString> message = m_tokens->scrubbed(outcome.message, kMaxMessage))
        outcome.message = std::move(*message);
    else
        outcome.message = QStringLiteral("the answer (HTTP %1) quoted an access token and is "
                                         "withheld")
                              .arg(outcome.httpStatus);
    switch (outcome.verdict) {
    case Verdict::Cancelled:
        return; // whether it arrived is unknown: it stays queued, and may appear twice
    case Verdict::Appended:
        onAppended(batch);
        return;
    case Verdict::Unauthorized:
        if (const bool refreshable = m_tokens->invalidate(); refreshable && !m_refreshedAfter401) {
            m_refreshedAfter401 = true; // the next request, at its usual time, with a new token
            return;
        }
        outcome.verdict = Verdict::Permanent;
        outcome.message += m_tokens->canRefresh()
                               ? QStringLiteral(", to a freshly fetched token too")
                               : QStringLiteral(", and a fixed bearer token cannot be renewed");
        break;
    case Verdict::Transient:
    case Verdict::Permanent:
        m_refreshedAfter401 = false;
        break;
    }
    onFailure(std::move(outcome));
}

void SheetsSink::onAppended(const SheetsBatch& batch)
{
    const QString unstored = m_queue.acknowledge(batch);
    m_rowsSent.fetch_add(std::uint64_t(batch.rows.size()));
    m_refreshedAfter401 = false;
    if (m_failures > 0) {
        m_events.publish(
            sheetsAppendRecoveredEvent(m_failures, steady_clock::now() - m_failingSince,
                                       std::uint64_t(batch.rows.size()), m_queue.queuedRows()));
        m_failures = 0;
        m_toldCause.reset();
    }
    setLastError(unstored);
    if (!unstored.isEmpty()) {
        Event e;
        e.time = std::chrono::system_clock::now();
        e.type = EventType::SheetsAppendFailed;
        e.level = EventLevel::Warning;
        e.reason = QStringLiteral("queue_unwritable");
        e.message = unstored + QStringLiteral(": the rows went out, but a restart before the "
                                              "next acknowledgement would send them again");
        m_events.publish(std::move(e));
    }
}

void SheetsSink::onFailure(SheetsAppendOutcome outcome)
{
    const TimePoint now = steady_clock::now();
    if (m_failures++ == 0)
        m_failingSince = now;
    Duration delay = outcome.verdict == Verdict::Transient ? m_backoff.delay(m_failures, m_jitter)
                                                           : m_options.permanentRetryDelay;
    if (outcome.retryAfter)
        delay = std::max<Duration>(delay, std::min<Duration>(*outcome.retryAfter, kMaxRetryAfter));
    m_nextAttemptAt = std::max(m_nextAttemptAt, now + delay);
    setLastError(outcome.message);
    const Cause cause{outcome.verdict, outcome.httpStatus, outcome.reason};
    if (m_toldCause == cause)
        return; // told already: one event per failure streak, another when its cause changes
    m_toldCause = cause;
    m_events.publish(sheetsAppendFailedEvent(outcome, m_nextAttemptAt - now, m_queue.queuedRows()));
}

} // namespace breakwater
