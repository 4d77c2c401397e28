#include "boundedreply.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace breakwater {

namespace {

// Qt stops reading the socket while this much sits unread, so its buffer stays small however
// large the body: flow control instead of memory.
constexpr qint64 kReadBufferBytes = qint64{64} * 1024;

int timerMilliseconds(std::chrono::milliseconds timeout)
{
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(
        timeout.count(), 0, std::numeric_limits<int>::max()));
}

bool isSuccess(int httpStatus)
{
    return httpStatus >= 200 && httpStatus <= 299;
}

} // namespace

BoundedReply::BoundedReply(QNetworkReply* reply, const ReplyLimits& limits, Finished finished,
                           QObject* parent)
    : QObject(parent)
    , m_reply(reply)
    , m_limits(limits)
    , m_finished(std::move(finished))
    , m_deadline(this)
    // Until the status is known, assume the tighter error cap.
    , m_bodyCap(limits.maxErrorBody)
{
    reply->setReadBufferSize(kReadBufferBytes);
    connect(reply, &QNetworkReply::metaDataChanged, this, &BoundedReply::readHeaders);
    connect(reply, &QNetworkReply::readyRead, this, &BoundedReply::readBody);
    connect(reply, &QNetworkReply::finished, this, &BoundedReply::onReplyFinished);

    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this,
            [this] { endEarly(BoundedReplyOutcome::Ending::TimedOut); });
    m_deadline.start(timerMilliseconds(limits.timeout));
}

BoundedReply::~BoundedReply()
{
    release();
}

void BoundedReply::readHeaders()
{
    if (m_headersRead || !m_reply)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_headersRead = true;
    m_outcome.httpStatus = status.toInt();
    m_outcome.contentType = m_reply->rawHeader(QByteArrayLiteral("Content-Type"));
    m_outcome.retryAfter = m_reply->rawHeader(QByteArrayLiteral("Retry-After"));
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid())
        m_outcome.contentLength = length.toLongLong();

    const bool success = isSuccess(m_outcome.httpStatus);
    m_bodyCap = success ? m_limits.maxSuccessBody : m_limits.maxErrorBody;
    // Refused on the announcement alone: not one byte of it needs to be read.
    if (success && m_outcome.contentLength && *m_outcome.contentLength > m_bodyCap)
        endEarly(BoundedReplyOutcome::Ending::TooLarge);
}

void BoundedReply::readBody()
{
    readHeaders();
    // A plain pointer per round: the QPointer is re-checked once, and the optimiser can see it.
    while (QNetworkReply* reply = m_reply.data()) {
        const qint64 available = reply->bytesAvailable();
        if (available <= 0)
            return;
        const qint64 room = m_bodyCap - m_outcome.body.size();
        // One byte past the room is enough to know the cap is exceeded.
        const QByteArray chunk = reply->read(std::min(available, room + 1));
        if (chunk.isEmpty())
            return;
        m_outcome.bodyBytesReceived += chunk.size();
        if (chunk.size() <= room) {
            m_outcome.body.append(chunk);
            continue;
        }
        if (isSuccess(m_outcome.httpStatus)) {
            endEarly(BoundedReplyOutcome::Ending::TooLarge);
        } else {
            // The head of an error body is all the classifier reads; the status decides anyway.
            m_outcome.body.append(chunk.first(room));
            m_outcome.bodyCut = true;
            endEarly(BoundedReplyOutcome::Ending::Finished);
        }
        return;
    }
}

void BoundedReply::onReplyFinished()
{
    readBody();
    if (!m_reply)
        return; // the body's cap ended the exchange already
    m_outcome.networkError = m_reply->error();
    m_outcome.ending = BoundedReplyOutcome::Ending::Finished;
    release();
    report();
}

void BoundedReply::endEarly(BoundedReplyOutcome::Ending ending)
{
    if (!m_reply)
        return;
    m_outcome.ending = ending;
    release();
    report();
}

// Disconnected first: our own ending must not come back as finished() with
// OperationCanceledError, the reason is already in the outcome. (Not blockSignals(): the reply
// tells its HTTP thread to drop the connection through its own signals.) Deleting an unfinished
// reply closes its connection; abort() would do it a moment sooner, but on a reply already carrying
// an HTTP error status it makes Qt warn about an internal problem. Later, not now: we may be inside
// one of the reply's own signals.
void BoundedReply::release()
{
    m_deadline.stop();
    QNetworkReply* reply = m_reply.data();
    m_reply.clear();
    if (!reply)
        return;
    reply->disconnect(this);
    reply->deleteLater();
}

void BoundedReply::report()
{
    // Moved out first: the callback may deleteLater() this object or start new exchanges.
    Finished finished = std::exchange(m_finished, {});
    const BoundedReplyOutcome outcome = std::move(m_outcome);
    if (finished)
        finished(outcome);
}

} // namespace breakwater
