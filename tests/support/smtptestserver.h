#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QUrl>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

class QSslSocket;

namespace breakwater::testing {

enum class SmtpTlsMode
{
    None,     // plain text only; STARTTLS is not offered
    StartTls, // plain text until the client asks for STARTTLS (RFC 3207), as on port 587
    Implicit, // TLS from the first byte (RFC 8314), as on port 465: url() says smtps://
};

// Where a scripted reply or a hang applies: the greeting, a command, or the end of the DATA.
enum class SmtpStage
{
    Greeting,
    Hello, // EHLO or HELO
    StartTls,
    Auth, // the AUTH command itself, before any 334 continuation
    MailFrom,
    RcptTo,
    Data,    // the DATA command, before its 354
    DataEnd, // the final CRLF.CRLF of a message
    Rset,
    Noop,
    Quit,
};

struct SmtpServerOptions
{
    SmtpTlsMode tls = SmtpTlsMode::None;
    QSslCertificate certificate; // needed unless tls is None
    QSslKey privateKey;
    // AUTH and MAIL get 530 until the session is encrypted, and AUTH is not advertised before.
    bool requireTls = false;
    bool requireAuth = false; // MAIL gets 530 until AUTH succeeded
    QByteArray username;      // what AUTH is checked against; empty refuses everyone
    QByteArray password;
    QByteArrayList authMechanisms = {"PLAIN", "LOGIN"}; // advertised and accepted, of these two
    qsizetype maxMessageBytes = qsizetype{1024} * 1024; // advertised as SIZE; larger gets 552
    int maxRecipients = 100;
    quint16 port = 0; // 0: any free port
};

// One message the server accepted with 250.
struct SmtpReceivedMessage
{
    QByteArray sender;            // the MAIL FROM path without its brackets; empty for <>
    QByteArrayList recipients;    // each RCPT TO path without its brackets, in order
    QByteArray data;              // as the client meant it: dot-stuffing undone, CRLF line ends
    bool encrypted = false;       // TLS was in use when the message ended
    QByteArray authenticatedUser; // empty when the session did not authenticate
    int connection = 0;           // 1-based, in the order connections were accepted
};

// One command line as received; AUTH keeps only its mechanism, never the credentials.
struct SmtpCommand
{
    int connection = 0;
    QByteArray verb; // upper-cased
    QByteArray argument;
    bool encrypted = false;
};

// An SMTP server on 127.0.0.1 that speaks enough of RFC 5321, 3207 and 4954 to take mail from
// libcurl, fails as scripted, and writes down what it received. Lives on the test's thread and
// is driven by its event loop: the client under test blocks in libcurl on another thread while
// the test waits in QTRY_* or QSignalSpy::wait.
class SmtpTestServer final : public QObject
{
    Q_OBJECT

public:
    explicit SmtpTestServer(const SmtpServerOptions& options = SmtpServerOptions(),
                            QObject* parent = nullptr);
    ~SmtpTestServer() override;
    Q_DISABLE_COPY_MOVE(SmtpTestServer)

    // False when it could not listen or the options cannot work; errorString() says why.
    bool isListening() const;
    QString errorString() const { return m_error; }
    quint16 port() const;
    // smtp://127.0.0.1:<port>, or smtps:// in implicit TLS mode.
    QUrl url() const;

    // The next `times` commands of that stage, over all connections, get `code` instead of the
    // normal reply and change no state. 421 also closes the connection, as RFC 5321 says; after
    // a failed greeting only QUIT is served (3.1).
    void failNext(SmtpStage stage, int code, int times = 1);
    // The next `times` commands of that stage close the connection without a reply.
    void dropNext(SmtpStage stage, int times = 1);
    // Until stopHanging(), a connection that reaches that stage never answers again; it keeps
    // reading, so the client sees a silent server rather than a closed one.
    void hangAt(SmtpStage stage) { m_hangAt = stage; }
    void stopHanging() { m_hangAt.reset(); }

    const std::vector<SmtpReceivedMessage>& messages() const { return m_messages; }
    const std::vector<SmtpCommand>& commands() const { return m_commands; }
    // The verbs of commands(), in order: {"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}.
    QByteArrayList verbs() const;
    int connectionsAccepted() const { return m_accepted; }
    int openConnections() const { return static_cast<int>(m_connections.size()); }

signals:
    // From the event loop, once messages() holds the new message.
    void messageReceived();

private:
    class Listener;
    struct Connection;

    void accept();
    void startEncryption(Connection& connection);
    void greet(Connection& connection);
    void onReadyRead(Connection& connection);
    void handleLine(Connection& connection, const QByteArray& line);
    void handleCommand(Connection& connection, const QByteArray& line);
    bool answerAsScripted(Connection& connection, SmtpStage stage);
    void hello(Connection& connection, const QByteArray& verb, const QByteArray& argument);
    void startTls(Connection& connection);
    void auth(Connection& connection, const QByteArray& argument);
    void authData(Connection& connection, const QByteArray& line);
    void checkPlain(Connection& connection, const QByteArray& encoded);
    void checkCredentials(Connection& connection, const QByteArray& user,
                          const QByteArray& password);
    void mail(Connection& connection, const QByteArray& argument);
    void rcpt(Connection& connection, const QByteArray& argument);
    void data(Connection& connection);
    void dataLine(Connection& connection, const QByteArray& line);
    void finishData(Connection& connection);
    void reply(Connection& connection, int code, const QByteArray& text);
    void refuse(Connection& connection, int code, const QByteArray& text);
    void closeByServer(Connection& connection);
    void onDisconnected(QSslSocket* socket);

    SmtpServerOptions m_options;
    QString m_error;
    std::unique_ptr<Listener> m_listener;
    std::map<QSslSocket*, std::unique_ptr<Connection>> m_connections;
    std::map<SmtpStage, std::deque<int>> m_scripted; // reply codes; 0 drops the connection
    std::optional<SmtpStage> m_hangAt;
    std::vector<SmtpReceivedMessage> m_messages;
    std::vector<SmtpCommand> m_commands;
    int m_accepted = 0;
};

} // namespace breakwater::testing
