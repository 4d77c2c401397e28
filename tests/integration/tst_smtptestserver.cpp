#include "rfc5322message.h"
#include "smtptestserver.h"
#include "testcertificate.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <curl/curl.h>
#include <memory>
#include <optional>
#include <thread>

using namespace breakwater::testing;

Q_DECLARE_METATYPE(breakwater::testing::SmtpStage)
Q_DECLARE_METATYPE(CURLcode)

// Readable failures: QCOMPARE finds this by argument-dependent lookup (CURLcode is global).
static char* toString(CURLcode code)
{
    return qstrdup(
        QByteArray(QByteArray::number(int(code)) + ' ' + curl_easy_strerror(code)).constData());
}

namespace {

// Generous: a loaded 2-core machine may be slow, and a passing test never waits this long.
constexpr int kWaitMs = 20000;
constexpr long kCurlTimeoutMs = 15000;
constexpr long kHangTimeoutMs = 1000;
const QByteArray kUser = "alerts@breakwater.test";
const QByteArray kPassword = "s3cret-Pa55 w0rd";

QByteArray message(const QByteArray& extraHeaders, const QByteArray& body)
{
    return "Date: Mon, 02 Jun 2025 10:00:00 +0000\r\n"
           "From: Breakwater <alerts@breakwater.test>\r\n"
           "To: oncall@example.com\r\n"
           "Subject: Breaker opened\r\n"
           "Message-ID: <1@breakwater.test>\r\n" +
           extraHeaders + "\r\n" + body;
}

struct Delivery
{
    QByteArray url;
    QByteArray from = "<alerts@breakwater.test>";
    QByteArrayList to = {"<oncall@example.com>"};
    QByteArray payload = message({}, "Three calls failed in a row.\r\n");
    QByteArray username;
    QByteArray password;
    QByteArray loginOptions;
    bool saslInitialResponse = false;
    bool announceSize = false;
    curl_usessl useSsl = CURLUSESSL_NONE;
    QByteArray caFile;
    long timeoutMs = kCurlTimeoutMs;
    long responseTimeoutSeconds = 10;
};

struct Outcome
{
    CURLcode code = CURLE_OK;
    long responseCode = 0; // the last SMTP reply code libcurl saw
};

struct Upload
{
    const QByteArray& data;
    qsizetype offset = 0;
};

size_t readPayload(char* buffer, size_t size, size_t count, void* userdata)
{
    auto* upload = static_cast<Upload*>(userdata);
    const qsizetype n =
        std::min(static_cast<qsizetype>(size * count), upload->data.size() - upload->offset);
    std::memcpy(buffer, upload->data.constData() + upload->offset, static_cast<size_t>(n));
    upload->offset += n;
    return static_cast<size_t>(n);
}

// What the email channel will do: one blocking transfer, then cleanup (which sends QUIT).
Outcome perform(const Delivery& delivery)
{
    Outcome outcome;
    CURL* curl = curl_easy_init();
    if (!curl)
        return {CURLE_FAILED_INIT, 0};
    curl_slist* recipients = nullptr;
    for (const QByteArray& recipient : delivery.to)
        recipients = curl_slist_append(recipients, recipient.constData());
    Upload upload{delivery.payload};
    curl_easy_setopt(curl, CURLOPT_URL, delivery.url.constData());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, delivery.timeoutMs);
    // libcurl 7.88 keeps a connection that timed out after DATA and, in curl_easy_cleanup,
    // sends it QUIT and waits this long (default 120 s) for the reply: CURLOPT_TIMEOUT does not
    // cover that wait.
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, delivery.responseTimeoutSeconds);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, delivery.from.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, readPayload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    if (delivery.announceSize)
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t{delivery.payload.size()});
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(delivery.useSsl));
    if (!delivery.caFile.isEmpty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, delivery.caFile.constData());
    if (!delivery.username.isEmpty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, delivery.username.constData());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, delivery.password.constData());
    }
    if (!delivery.loginOptions.isEmpty())
        curl_easy_setopt(curl, CURLOPT_LOGIN_OPTIONS, delivery.loginOptions.constData());
    curl_easy_setopt(curl, CURLOPT_SASL_IR, delivery.saslInitialResponse ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_VERBOSE,
                     qEnvironmentVariableIsSet("BREAKWATER_CURL_VERBOSE") ? 1L : 0L);
    outcome.code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &outcome.responseCode);
    curl_easy_cleanup(curl);
    curl_slist_free_all(recipients);
    return outcome;
}

// libcurl blocks, and the server needs this thread's event loop: the transfer runs on its own
// thread and wakes the loop when it is done. A real event loop rather than QTRY's polling, whose
// 10 ms naps would be added to every SMTP round trip.
class CurlThread final
{
public:
    CurlThread(const Delivery& delivery, QEventLoop& wake)
        : m_thread([this, delivery, &wake] {
            m_outcome = perform(delivery);
            m_done.store(true, std::memory_order_release);
            QMetaObject::invokeMethod(&wake, &QEventLoop::quit, Qt::QueuedConnection);
        })
    {}
    ~CurlThread() { m_thread.join(); } // bounded: every transfer has a timeout
    Q_DISABLE_COPY_MOVE(CurlThread)

    bool done() const { return m_done.load(std::memory_order_acquire); }
    const Outcome& outcome() const { return m_outcome; }

private:
    Outcome m_outcome;
    std::atomic<bool> m_done{false};
    std::thread m_thread; // last: starts once the members it writes exist
};

std::optional<Outcome> deliver(const Delivery& delivery)
{
    QEventLoop loop; // outlives the thread that may still post its quit
    QTimer::singleShot(kWaitMs, &loop, &QEventLoop::quit);
    CurlThread transfer(delivery, loop);
    loop.exec();
    if (!transfer.done())
        return std::nullopt;
    return transfer.outcome();
}

// SMTP by hand, for what libcurl never sends. Waits by spinning the event loop, because the
// server lives on this same thread.
class RawClient final
{
public:
    explicit RawClient(quint16 port)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket,
                         [this] { m_received += m_socket.readAll(); });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    // The next complete reply, every line of it; empty when none came in time.
    QByteArray reply()
    {
        if (!QTest::qWaitFor([this] { return replyLength() > 0; }, kWaitMs))
            return {};
        const QByteArray reply = m_received.first(replyLength());
        m_received.remove(0, reply.size());
        return reply;
    }
    QByteArray command(const QByteArray& line)
    {
        send(line + "\r\n");
        return reply();
    }
    void send(const QByteArray& bytes) { m_socket.write(bytes); }
    bool waitForClose()
    {
        return QTest::qWaitFor(
            [this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, kWaitMs);
    }

private:
    // Up to the end of the first line whose code is followed by a space, not a dash.
    qsizetype replyLength() const
    {
        for (qsizetype start = 0;;) {
            const qsizetype end = m_received.indexOf("\r\n", start);
            if (end < 0)
                return 0;
            if (end - start == 3 || (end - start > 3 && m_received.at(start + 3) == ' '))
                return end + 2;
            start = end + 2;
        }
    }

    QTcpSocket m_socket;
    QByteArray m_received;
};

int codeOf(const QByteArray& reply)
{
    return reply.left(3).toInt();
}

} // namespace

class TestSmtpTestServer final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void deliversPlainMessage();
    void deliversToEveryRecipient();
    void undoesDotStuffing_data();
    void undoesDotStuffing();
    void deliversUtf8Message_data();
    void deliversUtf8Message();
    void rejectsOversizedMessage_data();
    void rejectsOversizedMessage();

    void upgradesWithStartTls();
    void refusesUntrustedCertificate();
    void refusesMailBeforeStartTls();
    void clientDemandingTlsFailsWithoutStartTls();
    void deliversOverImplicitTls();

    void authenticates_data();
    void authenticates();
    void requiresAuthentication();

    void answersAsScripted_data();
    void answersAsScripted();
    void closesAfter421();
    void dropsConnectionAsScripted();
    void hangs_data();
    void hangs();

    void advertisesCapabilities();
    void speaksRawConversation();
    void survivesGarbage();

    void decodesHeaders();
    void reportsProblems_data();
    void reportsProblems();

private:
    SmtpServerOptions tlsOptions(SmtpTlsMode mode) const;
    QByteArray caFile() const { return m_certificate->caFilePath().toLocal8Bit(); }

    std::unique_ptr<TestCertificate> m_certificate;
    std::unique_ptr<TestCertificate> m_stranger; // trusted by nobody here
};

SmtpServerOptions TestSmtpTestServer::tlsOptions(SmtpTlsMode mode) const
{
    SmtpServerOptions options;
    options.tls = mode;
    options.certificate = m_certificate->certificate();
    options.privateKey = m_certificate->privateKey();
    options.username = kUser;
    options.password = kPassword;
    return options;
}

#define VERIFY_LISTENING(server)                                                                   \
    QVERIFY2((server).isListening(), qPrintable((server).errorString()))

void TestSmtpTestServer::initTestCase()
{
    QCOMPARE(curl_global_init(CURL_GLOBAL_ALL), CURLE_OK);
    QVERIFY2(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_SSL,
             "libcurl was built without TLS");
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend");
    m_certificate = std::make_unique<TestCertificate>();
    QVERIFY2(m_certificate->isValid(), qPrintable(m_certificate->errorString()));
    m_stranger = std::make_unique<TestCertificate>();
    QVERIFY2(m_stranger->isValid(), qPrintable(m_stranger->errorString()));
}

void TestSmtpTestServer::cleanupTestCase()
{
    curl_global_cleanup();
}

void TestSmtpTestServer::deliversPlainMessage()
{
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    QSignalSpy received(&server, &SmtpTestServer::messageReceived);
    Delivery delivery;
    delivery.url = server.url().toEncoded();

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_OK);
    QCOMPARE(outcome->responseCode, 250);
    QCOMPARE(received.count(), 1);
    QCOMPARE(server.messages().size(), std::size_t{1});
    const SmtpReceivedMessage& message = server.messages().front();
    QCOMPARE(message.sender, QByteArray("alerts@breakwater.test"));
    QCOMPARE(message.recipients, QByteArrayList{"oncall@example.com"});
    QCOMPARE(message.data, delivery.payload);
    QVERIFY(!message.encrypted);
    QVERIFY(message.authenticatedUser.isEmpty());
    QCOMPARE(message.connection, 1);
    QCOMPARE(server.verbs(), (QByteArrayList{"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}));
    QCOMPARE(server.connectionsAccepted(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kWaitMs);
}

void TestSmtpTestServer::deliversToEveryRecipient()
{
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.to = {"<first@example.com>", "<second@example.com>", "<third@example.org>"};

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_OK);
    QCOMPARE(server.messages().size(), std::size_t{1});
    QCOMPARE(server.messages().front().recipients,
             (QByteArrayList{"first@example.com", "second@example.com", "third@example.org"}));
    QCOMPARE(server.verbs().count("RCPT"), 3);
}

void TestSmtpTestServer::undoesDotStuffing_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addRow("leading dot") << QByteArray(".hidden by a naive server\r\nafter\r\n");
    QTest::addRow("lone dot mid-body") << QByteArray("before\r\n.\r\nafter\r\n");
    QTest::addRow("two lone dots") << QByteArray("a\r\n.\r\n.\r\nb\r\n");
    QTest::addRow("double dot") << QByteArray("..two\r\n...three\r\n");
    QTest::addRow("dot and space last") << QByteArray("end\r\n. \r\n");
}

void TestSmtpTestServer::undoesDotStuffing()
{
    QFETCH(QByteArray, body);
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.payload = message({}, body);

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_OK);
    QCOMPARE(server.messages().size(), std::size_t{1});
    QCOMPARE(server.messages().front().data, delivery.payload);
}

void TestSmtpTestServer::deliversUtf8Message_data()
{
    const QString subject = QStringLiteral("Breaker geöffnet – Anruf ✓");
    const QString body = QStringLiteral("Grüße aus Zürich ✓\nzweite Zeile\n");
    const QByteArray headers =
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n";
    const QByteArray subjectField = "X-Subject-Encoded: =?UTF-8?B?" + subject.toUtf8().toBase64() +
                                    "?=\r\nX-From-Encoded: =?utf-8?q?Br=C3=A9akwater_Alerts?= "
                                    "<alerts@breakwater.test>\r\n";
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("text");

    QByteArray utf8Body = body.toUtf8();
    utf8Body.replace("\n", "\r\n");
    QTest::addRow("8bit") << message(subjectField + headers + "Content-Transfer-Encoding: 8bit\r\n",
                                     utf8Body)
                          << subject << body;
    QTest::addRow("quoted-printable")
        << message(subjectField + headers + "Content-Transfer-Encoding: quoted-printable\r\n",
                   "Gr=C3=BC=C3=9Fe aus Z=C3=BC=\r\nrich =E2=9C=93\r\nzweite Zeile\r\n")
        << subject << body;
    QTest::addRow("base64") << message(subjectField + headers +
                                           "Content-Transfer-Encoding: base64\r\n",
                                       utf8Body.toBase64() + "\r\n")
                            << subject << body;
}

void TestSmtpTestServer::deliversUtf8Message()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, subject);
    QFETCH(QString, text);
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.payload = payload;

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_OK);
    QCOMPARE(server.messages().size(), std::size_t{1});
    const Rfc5322Message parsed = Rfc5322Message::parse(server.messages().front().data);
    QVERIFY2(parsed.problems().isEmpty(), qPrintable(parsed.problems().join(QStringLiteral("; "))));
    QCOMPARE(parsed.decodedHeader("x-subject-encoded"), subject);
    QCOMPARE(parsed.decodedHeader("X-FROM-ENCODED"),
             QStringLiteral("Bréakwater Alerts <alerts@breakwater.test>"));
    QCOMPARE(parsed.charset(), QByteArray("utf-8"));
    QCOMPARE(parsed.text(), text);
}

void TestSmtpTestServer::rejectsOversizedMessage_data()
{
    QTest::addColumn<bool>("announceSize");
    QTest::addRow("SIZE announced in MAIL FROM") << true;
    QTest::addRow("found out during DATA") << false;
}

void TestSmtpTestServer::rejectsOversizedMessage()
{
    QFETCH(bool, announceSize);
    SmtpServerOptions options;
    options.maxMessageBytes = 1024;
    SmtpTestServer server(options);
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.payload = message({}, QByteArray(64, 'x').append("\r\n").repeated(64));
    delivery.announceSize = announceSize;

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QVERIFY(outcome->code != CURLE_OK);
    QCOMPARE(outcome->responseCode, 552);
    QVERIFY(server.messages().empty());
    QCOMPARE(server.verbs().contains("DATA"), !announceSize);
}

void TestSmtpTestServer::upgradesWithStartTls()
{
    SmtpServerOptions options = tlsOptions(SmtpTlsMode::StartTls);
    options.requireTls = true;
    options.requireAuth = true;
    SmtpTestServer server(options);
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.useSsl = CURLUSESSL_ALL;
    delivery.caFile = caFile();
    delivery.username = kUser;
    delivery.password = kPassword;

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_OK);
    QCOMPARE(server.messages().size(), std::size_t{1});
    QVERIFY(server.messages().front().encrypted);
    QCOMPARE(server.messages().front().authenticatedUser, kUser);
    QCOMPARE(server.verbs(),
             (QByteArrayList{"EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"}));
    QVERIFY(!server.commands().at(1).encrypted);
    QVERIFY(server.commands().at(2).encrypted);
}

void TestSmtpTestServer::refusesUntrustedCertificate()
{
    SmtpTestServer server(tlsOptions(SmtpTlsMode::StartTls));
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.useSsl = CURLUSESSL_ALL;
    delivery.caFile = m_stranger->caFilePath().toLocal8Bit();

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_PEER_FAILED_VERIFICATION);
    QVERIFY(server.messages().empty());
    QCOMPARE(server.verbs(), (QByteArrayList{"EHLO", "STARTTLS"}));
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kWaitMs);
}

void TestSmtpTestServer::refusesMailBeforeStartTls()
{
    SmtpServerOptions options = tlsOptions(SmtpTlsMode::StartTls);
    options.requireTls = true;
    SmtpTestServer server(options);
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.username = kUser;
    delivery.password = kPassword;

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_SEND_ERROR);
    QCOMPARE(outcome->responseCode, 530);
    QVERIFY(server.messages().empty());
    // AUTH is not offered over plain text, so the password never went out.
    QVERIFY(!server.verbs().contains("AUTH"));
}

void TestSmtpTestServer::clientDemandingTlsFailsWithoutStartTls()
{
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.useSsl = CURLUSESSL_ALL;
    delivery.caFile = caFile();

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_USE_SSL_FAILED);
    QVERIFY(server.messages().empty());
}

void TestSmtpTestServer::deliversOverImplicitTls()
{
    SmtpServerOptions options = tlsOptions(SmtpTlsMode::Implicit);
    options.requireTls = true;
    options.requireAuth = true;
    SmtpTestServer server(options);
    VERIFY_LISTENING(server);
    QCOMPARE(server.url().scheme(), QStringLiteral("smtps"));
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.caFile = caFile();
    delivery.username = kUser;
    delivery.password = kPassword;

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_OK);
    QCOMPARE(server.messages().size(), std::size_t{1});
    QVERIFY(server.messages().front().encrypted);
    QCOMPARE(server.messages().front().authenticatedUser, kUser);
    QVERIFY(!server.verbs().contains("STARTTLS"));
    QVERIFY(server.commands().front().encrypted);
}

void TestSmtpTestServer::authenticates_data()
{
    QTest::addColumn<QByteArray>("loginOptions");
    QTest::addColumn<bool>("initialResponse");
    QTest::addColumn<QByteArray>("mechanism");
    QTest::addColumn<QByteArray>("password");
    struct Way
    {
        const char* name;
        QByteArray loginOptions;
        bool initialResponse;
        QByteArray mechanism;
    };
    const Way ways[] = {{"PLAIN, initial response", {}, true, "PLAIN"},
                        {"PLAIN after 334", {}, false, "PLAIN"},
                        {"LOGIN, initial response", "AUTH=LOGIN", true, "LOGIN"},
                        {"LOGIN after 334", "AUTH=LOGIN", false, "LOGIN"}};
    for (const Way& way : ways) {
        QTest::addRow("%s, right password", way.name)
            << way.loginOptions << way.initialResponse << way.mechanism << kPassword;
        QTest::addRow("%s, wrong password", way.name)
            << way.loginOptions << way.initialResponse << way.mechanism << QByteArray("guess");
    }
}

void TestSmtpTestServer::authenticates()
{
    QFETCH(QByteArray, loginOptions);
    QFETCH(bool, initialResponse);
    QFETCH(QByteArray, mechanism);
    QFETCH(QByteArray, password);
    SmtpServerOptions options;
    options.requireAuth = true;
    options.username = kUser;
    options.password = kPassword;
    SmtpTestServer server(options);
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.username = kUser;
    delivery.password = password;
    delivery.loginOptions = loginOptions;
    delivery.saslInitialResponse = initialResponse;

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    const auto auth =
        std::find_if(server.commands().begin(), server.commands().end(),
                     [](const SmtpCommand& command) { return command.verb == "AUTH"; });
    QVERIFY(auth != server.commands().end());
    QCOMPARE(auth->argument, mechanism);
    if (password != kPassword) {
        QCOMPARE(outcome->code, CURLE_LOGIN_DENIED);
        QCOMPARE(outcome->responseCode, 535);
        QVERIFY(server.messages().empty());
        return;
    }
    QCOMPARE(outcome->code, CURLE_OK);
    QCOMPARE(server.messages().size(), std::size_t{1});
    QCOMPARE(server.messages().front().authenticatedUser, kUser);
}

void TestSmtpTestServer::requiresAuthentication()
{
    SmtpServerOptions options;
    options.requireAuth = true;
    options.username = kUser;
    options.password = kPassword;
    SmtpTestServer server(options);
    VERIFY_LISTENING(server);
    Delivery delivery;
    delivery.url = server.url().toEncoded();

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_SEND_ERROR);
    QCOMPARE(outcome->responseCode, 530);
    QVERIFY(server.messages().empty());
}

void TestSmtpTestServer::answersAsScripted_data()
{
    QTest::addColumn<SmtpStage>("stage");
    QTest::addColumn<int>("code");
    QTest::addColumn<CURLcode>("expected");
    QTest::addRow("greeting 554") << SmtpStage::Greeting << 554 << CURLE_WEIRD_SERVER_REPLY;
    QTest::addRow("AUTH 454") << SmtpStage::Auth << 454 << CURLE_LOGIN_DENIED;
    QTest::addRow("MAIL FROM 451") << SmtpStage::MailFrom << 451 << CURLE_SEND_ERROR;
    QTest::addRow("MAIL FROM 554") << SmtpStage::MailFrom << 554 << CURLE_SEND_ERROR;
    QTest::addRow("RCPT TO 451") << SmtpStage::RcptTo << 451 << CURLE_SEND_ERROR;
    QTest::addRow("RCPT TO 550") << SmtpStage::RcptTo << 550 << CURLE_SEND_ERROR;
    QTest::addRow("DATA 451") << SmtpStage::Data << 451 << CURLE_SEND_ERROR;
    QTest::addRow("end of DATA 451") << SmtpStage::DataEnd << 451 << CURLE_WEIRD_SERVER_REPLY;
    QTest::addRow("end of DATA 554") << SmtpStage::DataEnd << 554 << CURLE_WEIRD_SERVER_REPLY;
}

void TestSmtpTestServer::answersAsScripted()
{
    QFETCH(SmtpStage, stage);
    QFETCH(int, code);
    QFETCH(CURLcode, expected);
    SmtpServerOptions options;
    options.username = kUser;
    options.password = kPassword;
    SmtpTestServer server(options);
    VERIFY_LISTENING(server);
    server.failNext(stage, code);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.username = kUser;
    delivery.password = kPassword;

    const std::optional<Outcome> failed = deliver(delivery);
    QVERIFY(failed);
    QCOMPARE(failed->code, expected);
    QCOMPARE(failed->responseCode, code);
    QVERIFY(server.messages().empty());

    // The script is used up: the retry goes through, on a connection of its own.
    const std::optional<Outcome> retried = deliver(delivery);
    QVERIFY(retried);
    QCOMPARE(retried->code, CURLE_OK);
    QCOMPARE(server.messages().size(), std::size_t{1});
    QCOMPARE(server.messages().front().connection, 2);
    QCOMPARE(server.connectionsAccepted(), 2);
}

void TestSmtpTestServer::closesAfter421()
{
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    server.failNext(SmtpStage::MailFrom, 421);
    Delivery delivery;
    delivery.url = server.url().toEncoded();

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QVERIFY(outcome->code != CURLE_OK);
    QCOMPARE(outcome->responseCode, 421);
    QVERIFY(server.messages().empty());
    QVERIFY(!server.verbs().contains("QUIT"));
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kWaitMs);
}

void TestSmtpTestServer::dropsConnectionAsScripted()
{
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    server.dropNext(SmtpStage::DataEnd);
    Delivery delivery;
    delivery.url = server.url().toEncoded();

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QVERIFY(outcome->code != CURLE_OK);
    QVERIFY(server.messages().empty());
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kWaitMs);
}

void TestSmtpTestServer::hangs_data()
{
    QTest::addColumn<SmtpStage>("stage");
    QTest::addRow("greeting") << SmtpStage::Greeting;
    QTest::addRow("MAIL FROM") << SmtpStage::MailFrom;
    QTest::addRow("end of DATA") << SmtpStage::DataEnd;
}

void TestSmtpTestServer::hangs()
{
    QFETCH(SmtpStage, stage);
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    server.hangAt(stage);
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    delivery.timeoutMs = kHangTimeoutMs;
    delivery.responseTimeoutSeconds = 1;

    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_OPERATION_TIMEDOUT);
    QVERIFY(server.messages().empty());
    QCOMPARE(server.connectionsAccepted(), 1);
    // A hung connection still notices that the client went away.
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kWaitMs);

    server.stopHanging();
    delivery = Delivery{};
    delivery.url = server.url().toEncoded();
    const std::optional<Outcome> retried = deliver(delivery);
    QVERIFY(retried);
    QCOMPARE(retried->code, CURLE_OK);
}

void TestSmtpTestServer::advertisesCapabilities()
{
    SmtpServerOptions options = tlsOptions(SmtpTlsMode::StartTls);
    SmtpTestServer open(options);
    VERIFY_LISTENING(open);
    RawClient client(open.port());
    QCOMPARE(codeOf(client.reply()), 220);
    const QByteArray ehlo = client.command("EHLO client.test");
    QVERIFY2(ehlo.contains("250-STARTTLS\r\n"), ehlo.constData());
    QVERIFY2(ehlo.contains("AUTH PLAIN LOGIN\r\n"), ehlo.constData());
    QVERIFY2(ehlo.contains("250-8BITMIME\r\n"), ehlo.constData());
    QVERIFY2(ehlo.contains("SIZE 1048576\r\n"), ehlo.constData());
    QCOMPARE(ehlo.count("\r\n250 "), 1);

    options.requireTls = true;
    SmtpTestServer strict(options);
    VERIFY_LISTENING(strict);
    RawClient strictClient(strict.port());
    QCOMPARE(codeOf(strictClient.reply()), 220);
    const QByteArray strictEhlo = strictClient.command("EHLO client.test");
    QVERIFY2(!strictEhlo.contains("AUTH"), strictEhlo.constData());
    QCOMPARE(codeOf(strictClient.command("AUTH PLAIN AGFsZXJ0cwBndWVzcw==")), 530);
    QCOMPARE(codeOf(strictClient.command("MAIL FROM:<a@breakwater.test>")), 530);
}

void TestSmtpTestServer::speaksRawConversation()
{
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    RawClient client(server.port());
    QCOMPARE(codeOf(client.reply()), 220);
    QCOMPARE(codeOf(client.command("HELO client.test")), 250);
    QCOMPARE(codeOf(client.command("NOOP")), 250);
    QCOMPARE(codeOf(client.command("MAIL FROM:<first@breakwater.test>")), 250);
    QCOMPARE(codeOf(client.command("RSET")), 250);
    QCOMPARE(codeOf(client.command("RCPT TO:<a@example.com>")), 503);
    QCOMPARE(codeOf(client.command("mail from:<>")), 250);
    QCOMPARE(codeOf(client.command("RCPT TO:<a@example.com>")), 250);
    QCOMPARE(codeOf(client.command("RCPT TO:<b@example.com> NOTIFY=NEVER")), 250);
    QCOMPARE(codeOf(client.command("DATA")), 354);
    QCOMPARE(codeOf(client.command("Subject: raw\r\n\r\n..dot line\r\nlast\r\n.")), 250);
    QCOMPARE(codeOf(client.command("VRFY a")), 502);
    QCOMPARE(codeOf(client.command("QUIT")), 221);
    QVERIFY(client.waitForClose());

    QCOMPARE(server.messages().size(), std::size_t{1});
    const SmtpReceivedMessage& message = server.messages().front();
    QCOMPARE(message.sender, QByteArray());
    QCOMPARE(message.recipients, (QByteArrayList{"a@example.com", "b@example.com"}));
    QCOMPARE(message.data, QByteArray("Subject: raw\r\n\r\n.dot line\r\nlast\r\n"));
}

void TestSmtpTestServer::survivesGarbage()
{
    SmtpTestServer server;
    VERIFY_LISTENING(server);
    {
        RawClient client(server.port());
        QCOMPARE(codeOf(client.reply()), 220);
        QCOMPARE(codeOf(client.command(QByteArray("\x00\xff\xfe\x01 junk", 9))), 500);
        QCOMPARE(codeOf(client.command("MAIL FROM:<a@breakwater.test>")), 503);
        QCOMPARE(codeOf(client.command("EHLO")), 501);
        QCOMPARE(codeOf(client.command("")), 500);
        client.send(QByteArray(20000, 'A')); // no line end, ever
        QCOMPARE(codeOf(client.reply()), 500);
        QVERIFY(client.waitForClose());
    }
    {
        RawClient client(server.port());
        QCOMPARE(codeOf(client.reply()), 220);
        for (int i = 0; i < 9; ++i)
            QCOMPARE(codeOf(client.command("XYZZY")), 500);
        QCOMPARE(codeOf(client.command("XYZZY")), 500);
        QCOMPARE(codeOf(client.reply()), 421);
        QVERIFY(client.waitForClose());
    }
    Delivery delivery;
    delivery.url = server.url().toEncoded();
    const std::optional<Outcome> outcome = deliver(delivery);
    QVERIFY(outcome);
    QCOMPARE(outcome->code, CURLE_OK);
    QCOMPARE(server.messages().size(), std::size_t{1});
}

void TestSmtpTestServer::decodesHeaders()
{
    // "café" split inside its two-byte é, across a fold, as long subjects get split.
    const QByteArray raw = "Date: Mon, 02 Jun 2025 10:00:00 +0000\r\n"
                           "from: =?UTF-8?Q?Caf=C3=A9_Alerts?= <alerts@breakwater.test>\r\n"
                           "SUBJECT: =?UTF-8?B?" +
                           QByteArray("caf\xc3").toBase64() + "?=\r\n =?utf-8?B?" +
                           QByteArray("\xa9 ok").toBase64() +
                           "?= and plain\r\n"
                           "X-Folded: part one\r\n\tpart two\r\n"
                           "\r\n"
                           "body\r\n";
    const Rfc5322Message message = Rfc5322Message::parse(raw);
    QVERIFY2(message.problems().isEmpty(),
             qPrintable(message.problems().join(QStringLiteral("; "))));
    QCOMPARE(message.subject(), QStringLiteral("café ok and plain"));
    QCOMPARE(message.from(), QStringLiteral("Café Alerts <alerts@breakwater.test>"));
    QCOMPARE(message.header("x-folded"), QByteArray("part one\tpart two"));
    QCOMPARE(message.fields().size(), 4);
    QCOMPARE(message.mimeType(), QByteArray("text/plain"));
    QCOMPARE(message.transferEncoding(), QByteArray("7bit"));
    QCOMPARE(message.text(), QStringLiteral("body\n"));
}

void TestSmtpTestServer::reportsProblems_data()
{
    const QByteArray head = "Date: Mon, 02 Jun 2025 10:00:00 +0000\r\nFrom: a@breakwater.test\r\n";
    const QByteArray mime = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n";
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("problem");
    QTest::addRow("bare LF") << QByteArray(head + "\nbody\n") << QStringLiteral("bare LF");
    QTest::addRow("no Date") << QByteArray("From: a@b\r\n\r\nbody\r\n")
                             << QStringLiteral("no Date field");
    QTest::addRow("two Subjects") << QByteArray(head + "Subject: a\r\nSubject: b\r\n\r\n")
                                  << QStringLiteral("more than one Subject field");
    QTest::addRow("raw UTF-8 subject") << QByteArray(head + "Subject: Grüße\r\n\r\n")
                                       << QStringLiteral("raw 8-bit bytes in header field Subject");
    QTest::addRow("8-bit in 7bit body") << QByteArray(head + mime + "\r\nGrüße\r\n")
                                        << QStringLiteral("8-bit bytes in a 7bit body");
    QTest::addRow("invalid UTF-8")
        << QByteArray(head + mime + "Content-Transfer-Encoding: 8bit\r\n\r\n\xc3\x28\r\n")
        << QStringLiteral("text is not valid utf-8");
    QTest::addRow("invalid base64")
        << QByteArray(head + mime + "Content-Transfer-Encoding: base64\r\n\r\n!!!!\r\n")
        << QStringLiteral("invalid base64 body");
    QTest::addRow("no MIME-Version")
        << QByteArray(head + "Content-Type: text/plain; charset=UTF-8\r\n\r\nbody\r\n")
        << QStringLiteral("MIME fields without MIME-Version: 1.0");
    QTest::addRow("line over 998") << QByteArray(head + "\r\n" + QByteArray(1200, 'x') + "\r\n")
                                   << QStringLiteral("line longer than 998 octets");
    QTest::addRow("encoded-word over 75")
        << QByteArray(head + "Subject: =?UTF-8?B?" + QByteArray(80, 'x').toBase64() + "?=\r\n\r\n")
        << QStringLiteral("encoded-word longer than 75 characters");
    QTest::addRow("no header end") << QByteArray(head) << QStringLiteral("no empty line");
}

void TestSmtpTestServer::reportsProblems()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, problem);
    const QStringList problems = Rfc5322Message::parse(raw).problems();
    const bool found = std::any_of(problems.begin(), problems.end(),
                                   [&problem](const QString& p) { return p.startsWith(problem); });
    QVERIFY2(found, qPrintable(problems.join(QStringLiteral("; "))));
}

QTEST_GUILESS_MAIN(TestSmtpTestServer)
#include "tst_smtptestserver.moc"
