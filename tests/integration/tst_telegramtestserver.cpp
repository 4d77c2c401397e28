#include "httptestclient.h"
#include "telegramtestserver.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>

using namespace breakwater::testing;

namespace {

const QByteArray kToken = "7212345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

QUrl methodUrl(const TelegramTestServer& server, const QByteArray& token,
               const QString& method = QStringLiteral("sendMessage"))
{
    QUrl url = server.baseUrl();
    url.setPath(QStringLiteral("/bot") + QString::fromLatin1(token) + u'/' + method);
    return url;
}

// Stands for a field left out of the body.
const QJsonValue kAbsent(QJsonValue::Undefined);

QByteArray message(const QJsonValue& text, const QJsonValue& parseMode = kAbsent,
                   const QJsonValue& chatId = QJsonValue(42))
{
    QJsonObject body;
    if (!text.isUndefined())
        body.insert(QStringLiteral("text"), text);
    if (!chatId.isUndefined())
        body.insert(QStringLiteral("chat_id"), chatId);
    if (!parseMode.isUndefined())
        body.insert(QStringLiteral("parse_mode"), parseMode);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray html(const QString& text)
{
    return message(text, QStringLiteral("HTML"));
}

QJsonObject json(const HttpTestAnswer& answer)
{
    return QJsonDocument::fromJson(answer.body).object();
}

// Raw bytes to the server and whatever comes back before it closes: for what no HTTP client
// would send.
QByteArray exchangeRaw(quint16 port, const QByteArray& bytes)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(HttpTestClient::kWaitMs))
        return {};
    socket.write(bytes);
    QByteArray received;
    (void)QTest::qWaitFor( // a server that never closes shows in what was received
        [&] {
            received += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        HttpTestClient::kWaitMs);
    return received + socket.readAll();
}

} // namespace

class TestTelegramTestServer final : public QObject
{
    Q_OBJECT

private slots:
    void refuses_data();
    void refuses();
    void accepts_data();
    void accepts();
    void answersAsScripted();
    void comesBackOnTheSamePort();
    void survivesGarbage();
};

void TestTelegramTestServer::refuses_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("description"); // how it starts

    const QByteArray ok = html(QStringLiteral("<b>ok</b>"));
    const QByteArray json = "application/json";
    const QString sendMessage = QStringLiteral("sendMessage");
    const auto row = [&](const char* name, const QByteArray& body, const char* description) {
        QTest::addRow("%s", name) << kToken << sendMessage << QByteArray("POST") << json << body
                                  << 400 << QString::fromUtf8(description);
    };
    QTest::addRow("wrong token") << QByteArray("7212345678:AAHwrong") << sendMessage
                                 << QByteArray("POST") << json << ok << 401
                                 << QStringLiteral("Unauthorized");
    QTest::addRow("unknown method") << kToken << QStringLiteral("sendPhoto") << QByteArray("POST")
                                    << json << ok << 404 << QStringLiteral("Not Found");
    QTest::addRow("GET") << kToken << sendMessage << QByteArray("GET") << json << QByteArray()
                         << 405 << QStringLiteral("Method Not Allowed");
    QTest::addRow("form body") << kToken << sendMessage << QByteArray("POST")
                               << QByteArray("application/x-www-form-urlencoded")
                               << QByteArray("chat_id=42&text=hi") << 400
                               << QStringLiteral("Bad Request");
    row("not JSON", "{\"chat_id\":42,", "Bad Request: can't parse JSON");
    row("no chat_id", message(QStringLiteral("hi"), kAbsent, kAbsent),
        "Bad Request: chat_id is empty");
    row("fractional chat_id", message(QStringLiteral("hi"), kAbsent, 4.5),
        "Bad Request: chat not found");
    row("chat name without @", message(QStringLiteral("hi"), kAbsent, QStringLiteral("alerts")),
        "Bad Request: chat not found");
    row("no text", message(kAbsent), "Bad Request: message text is empty");
    row("blank text", message(QStringLiteral(" \n ")), "Bad Request: message text is empty");
    row("4097 characters", message(QString(4097, u'x')), "Bad Request: message is too long");
    row("unknown parse_mode", message(QStringLiteral("hi"), QStringLiteral("Markdown3")),
        "Bad Request: unsupported parse_mode");
    row("only markup", html(QStringLiteral("<b></b>")), "Bad Request: message text is empty");
    const char* entities = "Bad Request: can't parse entities";
    row("unclosed tag", html(QStringLiteral("<b>open")), entities);
    row("end without start", html(QStringLiteral("text</b>")), entities);
    row("crossed tags", html(QStringLiteral("<b><i>x</b></i>")), entities);
    row("unknown tag", html(QStringLiteral("<script>x</script>")), entities);
    row("bare <", html(QStringLiteral("1 < 2")), entities);
    row("bare >", html(QStringLiteral("2 > 1")), entities);
    row("bare &", html(QStringLiteral("this & that")), entities);
    row("named entity", html(QStringLiteral("a&nbsp;b")), entities);
    row("surrogate reference", html(QStringLiteral("&#xD800;")), entities);
    row("plain span", html(QStringLiteral("<span>x</span>")), entities);
    row("tag in code", html(QStringLiteral("<code><b>x</b></code>")), entities);
    row("4097 after parsing", html(QStringLiteral("<b>") + QString(4097, u'x') + u"</b>"),
        "Bad Request: message is too long");
}

void TestTelegramTestServer::refuses()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, method);
    QFETCH(QByteArray, verb);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, description);
    TelegramTestServer server(kToken);
    QVERIFY(server.isListening());
    HttpTestClient client;

    const HttpTestAnswer answer =
        client.send(methodUrl(server, token, method), verb, body, {{"Content-Type", contentType}});
    QCOMPARE(answer.status, status);
    const QJsonObject reply = json(answer);
    QCOMPARE(reply.value(u"ok"), QJsonValue(false));
    QCOMPARE(reply.value(u"error_code").toInt(), status);
    QVERIFY2(reply.value(u"description").toString().startsWith(description), answer.body);
    QCOMPARE(server.requestCount(), 1);
    QVERIFY(server.messages().empty());
}

void TestTelegramTestServer::accepts_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("shown"); // the result's text: what a reader would see

    QTest::addRow("plain text") << message(QStringLiteral("1 < 2 & 3"))
                                << QStringLiteral("1 < 2 & 3");
    QTest::addRow("every tag")
        << html(QStringLiteral("<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins>"
                               "<s>s</s><strike>k</strike><del>d</del><a href=\"https://x.test/"
                               "?a=1&amp;b=2\">a</a><code>c</code><pre><code class=\"language-"
                               "cpp\">p</code></pre><tg-spoiler>t</tg-spoiler><span class=\"tg-"
                               "spoiler\">p</span><blockquote>q</blockquote>"))
        << QStringLiteral("bsieunskdacptpq");
    QTest::addRow("entities") << html(QStringLiteral("&lt;&gt;&amp;&quot;&#65;&#x1F534;"))
                              << QStringLiteral("<>&\"A\U0001F534");
    QTest::addRow("upper-case tags") << html(QStringLiteral("<B>x</B>")) << QStringLiteral("x");
    QTest::addRow("4096 after parsing, longer before")
        << html(QStringLiteral("&amp;").repeated(4096)) << QString(4096, u'&');
    QTest::addRow("MarkdownV2 is not parsed")
        << message(QStringLiteral("*bold*"), QStringLiteral("MarkdownV2"))
        << QStringLiteral("*bold*");
    QTest::addRow("@channel") << message(QStringLiteral("x"), kAbsent, QStringLiteral("@alerts_1"))
                              << QStringLiteral("x");
}

void TestTelegramTestServer::accepts()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, shown);
    TelegramTestServer server(kToken);
    HttpTestClient client;

    const HttpTestAnswer answer = client.postJson(methodUrl(server, kToken), body);
    QVERIFY2(answer.status == 200, answer.body);
    const QJsonObject reply = json(answer);
    QCOMPARE(reply.value(u"ok"), QJsonValue(true));
    const QJsonObject result = reply.value(u"result").toObject();
    QCOMPARE(result.value(u"message_id").toInteger(), qint64(1));
    QCOMPARE(result.value(u"text").toString(), shown);
    QCOMPARE(server.messages().size(), std::size_t(1));
    QCOMPARE(server.messages().front().body, QJsonDocument::fromJson(body).object());
}

void TestTelegramTestServer::answersAsScripted()
{
    TelegramTestServer server(kToken);
    server.answerTooManyRequests(2, 5);
    server.answerStatus(1, 403, "Forbidden: bot was blocked by the user");
    HttpTestClient client;
    const QUrl url = methodUrl(server, kToken);

    // An invalid request is refused for itself and leaves the script alone.
    QCOMPARE(client.postJson(url, message(QString())).status, 400);
    for (int i = 0; i < 2; ++i) {
        const HttpTestAnswer answer = client.postJson(url, message(QStringLiteral("hi")));
        QCOMPARE(answer.status, 429);
        QCOMPARE(json(answer).value(u"description").toString(),
                 QStringLiteral("Too Many Requests: retry after 5"));
        QCOMPARE(json(answer).value(u"parameters").toObject().value(u"retry_after").toInt(), 5);
    }
    const HttpTestAnswer blocked = client.postJson(url, message(QStringLiteral("hi")));
    QCOMPARE(blocked.status, 403);
    QCOMPARE(json(blocked).value(u"description").toString(),
             QStringLiteral("Forbidden: bot was blocked by the user"));
    QCOMPARE(client.postJson(url, message(QStringLiteral("hi"))).status, 200);

    QCOMPARE(server.requestCount(), 5);
    QCOMPARE(server.messages().size(), std::size_t(1));
    const std::vector<qint64> times = server.requestTimesMs();
    QCOMPARE(times.size(), std::size_t(5));
    QVERIFY(std::is_sorted(times.begin(), times.end()));
}

void TestTelegramTestServer::comesBackOnTheSamePort()
{
    TelegramTestServer server(kToken);
    const QUrl url = methodUrl(server, kToken);
    HttpTestClient client;
    server.setDown(true);
    QCOMPARE(client.postJson(url, message(QStringLiteral("hi"))).error,
             QNetworkReply::ConnectionRefusedError);
    server.setDown(false);
    QVERIFY(server.isListening());
    QCOMPARE(methodUrl(server, kToken), url);
    QCOMPARE(client.postJson(url, message(QStringLiteral("hi"))).status, 200);
}

void TestTelegramTestServer::survivesGarbage()
{
    TelegramTestServer server(kToken);
    const quint16 port = quint16(server.baseUrl().port());
    QVERIFY(exchangeRaw(port, "\x01\x02 garbage\r\n\r\n").startsWith("HTTP/1.1 400 "));
    QVERIFY(
        exchangeRaw(port, "POST / HTTP/1.1\r\nno colon here\r\n\r\n").startsWith("HTTP/1.1 400 "));
    // Capped, not buffered without end: a head that never ends, a body too large to take.
    QVERIFY(exchangeRaw(port, "POST / HTTP/1.1\r\nX: " + QByteArray(64 * 1024, 'a'))
                .startsWith("HTTP/1.1 431 "));
    QVERIFY(exchangeRaw(port, "POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n")
                .startsWith("HTTP/1.1 413 "));
    QVERIFY(exchangeRaw(port, "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")
                .startsWith("HTTP/1.1 400 "));
    HttpTestClient client;
    QCOMPARE(client.postJson(methodUrl(server, kToken), message(QStringLiteral("hi"))).status, 200);
}

QTEST_GUILESS_MAIN(TestTelegramTestServer)
#include "tst_telegramtestserver.moc"
