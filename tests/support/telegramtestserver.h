#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace breakwater::testing {

class HttpTestListener;
struct HttpTestRequest;
struct HttpTestResponse;

// The Bot API's sendMessage on 127.0.0.1, checking what Telegram checks: the token in the path,
// POST with a JSON body, chat_id, text of 1 to 4,096 characters after entity parsing, parse_mode,
// and that HTML text is Telegram HTML (its tags only, balanced, its entities only). Refusals are
// answered as Telegram answers them: the status with {"ok":false,"error_code":...,"description":
// ...}. Lives on the test's thread and is driven by its event loop; the channel under test blocks
// in libcurl on another thread.
class TelegramTestServer final : public QObject
{
    Q_OBJECT

public:
    explicit TelegramTestServer(QByteArray botToken, QObject* parent = nullptr);
    ~TelegramTestServer() override;
    Q_DISABLE_COPY_MOVE(TelegramTestServer)

    bool isListening() const;
    // "http://127.0.0.1:<port>": what alerts.telegram.base_url takes.
    QUrl baseUrl() const;

    struct Message
    {
        QJsonValue chatId; // as sent: a number or a string
        QString text;      // as sent, markup included
        QString parseMode; // empty when absent
        QJsonObject body;
        qint64 receivedAtMs = 0;
    };
    // Every request, whatever the answer; status 0 while it hangs unanswered.
    struct Request
    {
        QByteArray method;
        QByteArray target; // holds the token: for assertions, never for printing
        QByteArray body;
        int status = 0;
        QString description; // what a refusal said
        qint64 receivedAtMs = 0;
    };

    // The accepted ones, answered 200 {"ok":true,...}.
    const std::vector<Message>& messages() const { return m_messages; }
    const std::vector<Request>& requests() const { return m_requests; }
    int requestCount() const { return static_cast<int>(m_requests.size()); }
    // QDateTime::currentMSecsSinceEpoch() at each request.
    std::vector<qint64> requestTimesMs() const;
    // The descriptions of every refused request, in order: what to print when a test fails.
    QStringList refusals() const;

    // The next `times` requests that pass every check get 429 with parameters.retry_after
    // instead of 200; answerStatus() the same with another status and description. Queued in
    // the order given.
    void answerTooManyRequests(int times, int retryAfterSeconds);
    void answerStatus(int times, int status, const QByteArray& description);
    // Down: stop listening, so connections are refused; up again: the same port.
    void setDown(bool down);
    // Read requests, never answer them (until the client gives up).
    void setHanging(bool hanging) { m_hanging = hanging; }

    // Why `html` is not Telegram HTML, as Telegram's "can't parse entities: ..." would say;
    // nullopt when it is. `shown` receives the text as Telegram would show it.
    static std::optional<QString> htmlProblem(const QString& html, QString* shown = nullptr);

Q_SIGNALS:
    void messageReceived();
    // Any request, accepted or not, once requests() holds it.
    void requestReceived();

private:
    struct Scripted
    {
        int status = 0;
        QByteArray description;
        int retryAfter = -1; // seconds; only with 429
    };

    std::optional<HttpTestResponse> handle(const HttpTestRequest& request);
    HttpTestResponse check(const HttpTestRequest& request);
    HttpTestResponse accept(const QJsonObject& body, const QString& shownText);
    HttpTestResponse refuse(int status, const QString& description, int retryAfter = -1);

    QByteArray m_token;
    std::unique_ptr<HttpTestListener> m_listener;
    std::deque<Scripted> m_scripted;
    std::vector<Message> m_messages;
    std::vector<Request> m_requests;
    bool m_hanging = false;
    qint64 m_nextMessageId = 1;
};

} // namespace breakwater::testing
