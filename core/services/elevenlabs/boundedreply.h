#pragma once

#include <QByteArray>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>

namespace breakwater {

// How far one HTTP exchange got before it ended.
struct BoundedReplyOutcome
{
    enum class Ending : quint8
    {
        Finished, // Qt finished the reply: a response, an HTTP error, or a transport failure
        TimedOut, // the deadline passed first
        TooLarge  // a success body announced or delivered more than its cap
    };

    Ending ending = Ending::Finished;
    int httpStatus = 0; // 0: no response headers arrived
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QByteArray contentType;
    QByteArray retryAfter;
    std::optional<qint64> contentLength; // as announced by the server
    QByteArray body;                     // the kept part of the body
    qint64 bodyBytesReceived = 0;        // everything that arrived, kept or not
    bool bodyCut = false;                // an error body was longer than its cap; the rest was
                                         // not waited for
};

struct ReplyLimits
{
    std::chrono::milliseconds timeout{0}; // connect to last byte
    qint64 maxSuccessBody = 0;            // a 2xx body past this ends the exchange as TooLarge
    qint64 maxErrorBody = 0;              // other bodies are kept up to this much, then cut
};

// Watches one QNetworkReply so that neither a hanging, a dripping nor an enormous answer costs
// unbounded time or memory: a single deadline covers the whole exchange (Qt's transfer timeout
// restarts with every byte, so a drip would keep it alive forever), and the body is read as it
// arrives and dropped at its cap. Reports exactly once through `finished`, on the reply's thread,
// unless destroyed first; destroying it aborts the reply without a report. `finished` may
// deleteLater() this object, never delete it.
class BoundedReply final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BoundedReply)

public:
    using Finished = std::function<void(const BoundedReplyOutcome& outcome)>;

    // Takes the reply over: it is deleted (later) with this object at the latest.
    BoundedReply(QNetworkReply* reply, const ReplyLimits& limits, Finished finished,
                 QObject* parent = nullptr);
    ~BoundedReply() override;

private:
    void readHeaders();
    void readBody();
    void onReplyFinished();
    void endEarly(BoundedReplyOutcome::Ending ending);
    void release();
    void report();

    QPointer<QNetworkReply> m_reply;
    const ReplyLimits m_limits;
    Finished m_finished;
    QTimer m_deadline;
    BoundedReplyOutcome m_outcome;
    qint64 m_bodyCap = 0;
    bool m_headersRead = false;
};

} // namespace breakwater
