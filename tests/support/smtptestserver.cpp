#include "smtptestserver.h"

#include <QHostAddress>
#include <QSslSocket>
#include <QTcpServer>

namespace breakwater::testing {

namespace {

// RFC 4954 lets an AUTH line reach 12288 octets; anything longer is not a client we speak to.
constexpr qsizetype kMaxLineBytes = qsizetype{16} * 1024;
// A client this confused is fed garbage or hostile; either way the conversation is over.
constexpr int kMaxErrors = 10;
constexpr int kDrop = 0;
const QByteArray kHostname = QByteArrayLiteral("breakwater.test");

QByteArray scriptedText(int code)
{
    if (code == 421)
        return QByteArrayLiteral("4.3.2 Service not available, closing transmission channel");
    if (code >= 500)
        return QByteArrayLiteral("5.0.0 Scripted permanent failure");
    if (code >= 400)
        return QByteArrayLiteral("4.0.0 Scripted transient failure");
    return QByteArrayLiteral("Scripted reply");
}

std::optional<SmtpStage> stageOf(const QByteArray& verb)
{
    static const std::map<QByteArray, SmtpStage> stages = {
        {"EHLO", SmtpStage::Hello},        {"HELO", SmtpStage::Hello},
        {"STARTTLS", SmtpStage::StartTls}, {"AUTH", SmtpStage::Auth},
        {"MAIL", SmtpStage::MailFrom},     {"RCPT", SmtpStage::RcptTo},
        {"DATA", SmtpStage::Data},         {"RSET", SmtpStage::Rset},
        {"NOOP", SmtpStage::Noop},         {"QUIT", SmtpStage::Quit},
    };
    const auto found = stages.find(verb);
    return found == stages.end() ? std::nullopt : std::optional(found->second);
}

struct PathArgument
{
    QByteArray path;
    QByteArrayList parameters;
};

// "FROM:<a@b> SIZE=12" after the verb; nullopt unless the path is bracketed.
std::optional<PathArgument> parsePath(const QByteArray& argument, QByteArrayView keyword)
{
    if (!argument.toUpper().startsWith(keyword))
        return std::nullopt;
    const QByteArray rest = argument.mid(keyword.size()).trimmed();
    const qsizetype close = rest.indexOf('>');
    if (!rest.startsWith('<') || close < 0)
        return std::nullopt;
    PathArgument parsed{rest.mid(1, close - 1), {}};
    for (const QByteArray& parameter : rest.mid(close + 1).split(' ')) {
        if (!parameter.isEmpty())
            parsed.parameters.append(parameter);
    }
    return parsed;
}

// RFC 4954: "=" stands for an empty response.
std::optional<QByteArray> decodeSaslResponse(const QByteArray& encoded)
{
    if (encoded == "=")
        return QByteArray();
    auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? std::optional(*decoded) : std::nullopt;
}

} // namespace

// Hands out QSslSockets so that any connection can start TLS later, as STARTTLS needs.
class SmtpTestServer::Listener final : public QTcpServer
{
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto* socket = new QSslSocket(this);
        if (socket->setSocketDescriptor(descriptor))
            addPendingConnection(socket);
        else
            delete socket;
    }
};

struct SmtpTestServer::Connection
{
    enum class Phase
    {
        Command,
        AuthPlain,
        AuthLoginUser,
        AuthLoginPassword,
        Data,
        Hung,
        Closing,
    };

    QSslSocket* socket = nullptr;
    int index = 0;
    Phase phase = Phase::Command;
    QByteArray inbound;
    bool greeted = false;  // EHLO or HELO since the greeting or the last STARTTLS
    bool rejected = false; // the greeting was a failure: only QUIT is served (RFC 5321 3.1)
    QByteArray authenticatedUser;
    QByteArray loginUser;
    std::optional<QByteArray> sender;
    QByteArrayList recipients;
    QByteArray data;
    bool dataTooBig = false;
    bool midLine = false; // the rest of an overlong DATA line is still to come
    int errors = 0;

    bool encrypted() const { return socket->isEncrypted(); }
    void resetTransaction()
    {
        sender.reset();
        recipients.clear();
        data.clear();
        dataTooBig = false;
        midLine = false;
    }
};

SmtpTestServer::SmtpTestServer(const SmtpServerOptions& options, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_listener(std::make_unique<Listener>())
{
    if (m_options.tls != SmtpTlsMode::None) {
        if (!QSslSocket::supportsSsl()) {
            m_error = QStringLiteral("Qt has no working TLS backend");
            return;
        }
        if (m_options.certificate.isNull() || m_options.privateKey.isNull()) {
            m_error = QStringLiteral("TLS needs SmtpServerOptions::certificate and privateKey");
            return;
        }
    }
    QObject::connect(m_listener.get(), &QTcpServer::newConnection, this, [this] { accept(); });
    if (!m_listener->listen(QHostAddress::LocalHost, m_options.port))
        m_error = m_listener->errorString();
}

SmtpTestServer::~SmtpTestServer()
{
    for (auto& [socket, connection] : m_connections) {
        socket->disconnect();
        delete socket;
    }
    m_connections.clear();
}

bool SmtpTestServer::isListening() const
{
    return m_listener->isListening();
}

quint16 SmtpTestServer::port() const
{
    return m_listener->serverPort();
}

QUrl SmtpTestServer::url() const
{
    QUrl url;
    url.setScheme(m_options.tls == SmtpTlsMode::Implicit ? QStringLiteral("smtps")
                                                         : QStringLiteral("smtp"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

void SmtpTestServer::failNext(SmtpStage stage, int code, int times)
{
    for (int i = 0; i < times; ++i)
        m_scripted[stage].push_back(code);
}

void SmtpTestServer::dropNext(SmtpStage stage, int times)
{
    failNext(stage, kDrop, times);
}

QByteArrayList SmtpTestServer::verbs() const
{
    QByteArrayList verbs;
    for (const SmtpCommand& command : m_commands)
        verbs.append(command.verb);
    return verbs;
}

void SmtpTestServer::accept()
{
    while (auto* socket = static_cast<QSslSocket*>(m_listener->nextPendingConnection())) {
        auto connection = std::make_unique<Connection>();
        connection->socket = socket;
        connection->index = ++m_accepted;
        Connection& ref = *connection;
        m_connections.emplace(socket, std::move(connection));
        QObject::connect(socket, &QSslSocket::readyRead, socket,
                         [this, &ref] { onReadyRead(ref); });
        // Queued: a socket may report its end from inside abort() or write(), while the
        // connection is still in use further up the stack.
        QObject::connect(
            socket, &QSslSocket::disconnected, socket, [this, socket] { onDisconnected(socket); },
            Qt::QueuedConnection);
        if (m_options.tls == SmtpTlsMode::Implicit) {
            QObject::connect(socket, &QSslSocket::encrypted, socket, [this, &ref] { greet(ref); });
            startEncryption(ref);
        } else {
            greet(ref);
        }
    }
}

void SmtpTestServer::startEncryption(Connection& connection)
{
    QSslSocket* socket = connection.socket;
    socket->setLocalCertificate(m_options.certificate);
    socket->setPrivateKey(m_options.privateKey);
    socket->setPeerVerifyMode(QSslSocket::VerifyNone);
    socket->startServerEncryption();
}

void SmtpTestServer::greet(Connection& connection)
{
    if (answerAsScripted(connection, SmtpStage::Greeting)) {
        connection.rejected = true;
        return;
    }
    reply(connection, 220, kHostname + " ESMTP Breakwater test server");
}

void SmtpTestServer::onReadyRead(Connection& connection)
{
    using Phase = Connection::Phase;
    connection.inbound += connection.socket->readAll();
    while (connection.phase != Phase::Hung && connection.phase != Phase::Closing) {
        const qsizetype end = connection.inbound.indexOf('\n');
        if (end < 0) {
            if (connection.inbound.size() <= kMaxLineBytes)
                return; // the rest of the line is still on its way
            connection.inbound.clear();
            if (connection.phase != Phase::Data) {
                refuse(connection, 500, "5.5.2 Line too long");
                closeByServer(connection);
                return;
            }
            connection.dataTooBig = true;
            connection.midLine = true;
            return;
        }
        QByteArray line = connection.inbound.first(end);
        connection.inbound.remove(0, end + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        handleLine(connection, line);
    }
    connection.inbound.clear(); // nothing more will be answered, so nothing is kept
}

void SmtpTestServer::handleLine(Connection& connection, const QByteArray& line)
{
    switch (connection.phase) {
    case Connection::Phase::Data:
        dataLine(connection, line);
        return;
    case Connection::Phase::AuthPlain:
    case Connection::Phase::AuthLoginUser:
    case Connection::Phase::AuthLoginPassword:
        authData(connection, line);
        return;
    case Connection::Phase::Command:
        handleCommand(connection, line);
        return;
    case Connection::Phase::Hung:
    case Connection::Phase::Closing:
        return;
    }
}

void SmtpTestServer::handleCommand(Connection& connection, const QByteArray& line)
{
    const qsizetype space = line.indexOf(' ');
    const QByteArray verb = (space < 0 ? line : line.first(space)).toUpper();
    const QByteArray argument = space < 0 ? QByteArray() : line.mid(space + 1).trimmed();
    const QByteArray recorded = verb == "AUTH" ? argument.split(' ').value(0) : argument;
    m_commands.push_back({connection.index, verb, recorded, connection.encrypted()});

    const std::optional<SmtpStage> stage = stageOf(verb);
    if (stage && answerAsScripted(connection, *stage))
        return;
    if (connection.rejected && verb != "QUIT")
        return refuse(connection, 503, "5.5.1 Bad sequence of commands");
    if (verb == "EHLO" || verb == "HELO")
        return hello(connection, verb, argument);
    if (verb == "STARTTLS")
        return startTls(connection);
    if (verb == "AUTH")
        return auth(connection, argument);
    if (verb == "MAIL")
        return mail(connection, argument);
    if (verb == "RCPT")
        return rcpt(connection, argument);
    if (verb == "DATA")
        return data(connection);
    if (verb == "RSET") {
        connection.resetTransaction();
        return reply(connection, 250, "2.0.0 OK");
    }
    if (verb == "NOOP")
        return reply(connection, 250, "2.0.0 OK");
    if (verb == "QUIT") {
        reply(connection, 221, "2.0.0 Bye");
        return closeByServer(connection);
    }
    if (verb == "VRFY" || verb == "EXPN" || verb == "HELP")
        return refuse(connection, 502, "5.5.1 Command not implemented");
    refuse(connection, 500, "5.5.2 Command not recognized");
}

bool SmtpTestServer::answerAsScripted(Connection& connection, SmtpStage stage)
{
    if (m_hangAt == stage) {
        connection.phase = Connection::Phase::Hung;
        return true;
    }
    std::deque<int>& queue = m_scripted[stage];
    if (queue.empty())
        return false;
    const int code = queue.front();
    queue.pop_front();
    if (code == kDrop) {
        connection.phase = Connection::Phase::Closing;
        connection.socket->abort();
        return true;
    }
    reply(connection, code, scriptedText(code));
    if (code == 421)
        closeByServer(connection);
    return true;
}

void SmtpTestServer::hello(Connection& connection, const QByteArray& verb,
                           const QByteArray& argument)
{
    if (argument.isEmpty())
        return refuse(connection, 501, "5.5.4 Syntax: " + verb + " hostname");
    connection.greeted = true;
    connection.resetTransaction();
    if (verb == "HELO")
        return reply(connection, 250, kHostname);

    QByteArrayList lines = {kHostname + " at your service", "8BITMIME", "ENHANCEDSTATUSCODES",
                            "SIZE " + QByteArray::number(m_options.maxMessageBytes)};
    if (m_options.tls == SmtpTlsMode::StartTls && !connection.encrypted())
        lines.append("STARTTLS");
    // Like Postfix's smtpd_tls_auth_only: no credentials offered over plain text.
    if (!m_options.authMechanisms.isEmpty() && !(m_options.requireTls && !connection.encrypted()))
        lines.append("AUTH " + m_options.authMechanisms.join(' '));
    QByteArray multiline;
    for (qsizetype i = 0; i < lines.size(); ++i)
        multiline += "250" + QByteArray(i + 1 < lines.size() ? "-" : " ") + lines.at(i) + "\r\n";
    connection.socket->write(multiline);
}

void SmtpTestServer::startTls(Connection& connection)
{
    if (m_options.tls != SmtpTlsMode::StartTls)
        return refuse(connection, 502, "5.5.1 STARTTLS not offered");
    if (connection.encrypted())
        return refuse(connection, 503, "5.5.1 TLS already active");
    reply(connection, 220, "2.0.0 Ready to start TLS");
    // RFC 3207 section 4: the session starts over, and nothing the client sent before the
    // handshake may be taken as a command (the STARTTLS injection attacks).
    connection.inbound.clear();
    connection.greeted = false;
    connection.authenticatedUser.clear();
    connection.resetTransaction();
    startEncryption(connection);
}

void SmtpTestServer::auth(Connection& connection, const QByteArray& argument)
{
    if (!connection.greeted)
        return refuse(connection, 503, "5.5.1 EHLO first");
    if (m_options.requireTls && !connection.encrypted())
        return refuse(connection, 530, "5.7.0 Must issue a STARTTLS command first");
    if (!connection.authenticatedUser.isEmpty())
        return refuse(connection, 503, "5.5.1 Already authenticated");
    if (connection.sender)
        return refuse(connection, 503, "5.5.1 AUTH not permitted during a mail transaction");
    const QByteArrayList parts = argument.split(' ');
    const QByteArray mechanism = parts.value(0).toUpper();
    if (!m_options.authMechanisms.contains(mechanism) ||
        (mechanism != "PLAIN" && mechanism != "LOGIN"))
        return refuse(connection, 504, "5.5.4 Unrecognized authentication type");
    const bool hasInitialResponse = parts.size() > 1;
    if (mechanism == "PLAIN") {
        if (hasInitialResponse)
            return checkPlain(connection, parts.at(1));
        connection.phase = Connection::Phase::AuthPlain;
        return reply(connection, 334, {});
    }
    connection.phase = Connection::Phase::AuthLoginUser;
    if (hasInitialResponse)
        return authData(connection, parts.at(1));
    reply(connection, 334, QByteArrayLiteral("Username:").toBase64());
}

void SmtpTestServer::authData(Connection& connection, const QByteArray& line)
{
    const Connection::Phase phase = connection.phase;
    connection.phase = Connection::Phase::Command;
    if (line == "*")
        return refuse(connection, 501, "5.0.0 Authentication cancelled");
    if (phase == Connection::Phase::AuthPlain)
        return checkPlain(connection, line);
    const std::optional<QByteArray> decoded = decodeSaslResponse(line);
    if (!decoded)
        return refuse(connection, 501, "5.5.2 Cannot decode response");
    if (phase == Connection::Phase::AuthLoginPassword)
        return checkCredentials(connection, connection.loginUser, *decoded);
    connection.loginUser = *decoded;
    connection.phase = Connection::Phase::AuthLoginPassword;
    reply(connection, 334, QByteArrayLiteral("Password:").toBase64());
}

void SmtpTestServer::checkPlain(Connection& connection, const QByteArray& encoded)
{
    // authzid NUL authcid NUL passwd (RFC 4616)
    const std::optional<QByteArray> decoded = decodeSaslResponse(encoded);
    const QByteArrayList parts = decoded ? decoded->split('\0') : QByteArrayList();
    if (parts.size() != 3)
        return refuse(connection, 501, "5.5.2 Cannot decode response");
    checkCredentials(connection, parts.at(1), parts.at(2));
}

void SmtpTestServer::checkCredentials(Connection& connection, const QByteArray& user,
                                      const QByteArray& password)
{
    if (m_options.username.isEmpty() || user != m_options.username ||
        password != m_options.password) {
        return refuse(connection, 535, "5.7.8 Authentication credentials invalid");
    }
    connection.authenticatedUser = user;
    reply(connection, 235, "2.7.0 Authentication successful");
}

void SmtpTestServer::mail(Connection& connection, const QByteArray& argument)
{
    if (!connection.greeted)
        return refuse(connection, 503, "5.5.1 EHLO first");
    if (m_options.requireTls && !connection.encrypted())
        return refuse(connection, 530, "5.7.0 Must issue a STARTTLS command first");
    if (m_options.requireAuth && connection.authenticatedUser.isEmpty())
        return refuse(connection, 530, "5.7.0 Authentication required");
    if (connection.sender)
        return refuse(connection, 503, "5.5.1 Sender already given");
    const std::optional<PathArgument> path = parsePath(argument, "FROM:");
    if (!path)
        return refuse(connection, 501, "5.5.4 Syntax: MAIL FROM:<address>");
    for (const QByteArray& parameter : path->parameters) {
        if (parameter.toUpper().startsWith("SIZE=") &&
            parameter.mid(5).toLongLong() > m_options.maxMessageBytes) {
            return reply(connection, 552, "5.3.4 Message size exceeds fixed limit");
        }
    }
    connection.sender = path->path;
    reply(connection, 250, "2.1.0 Sender OK");
}

void SmtpTestServer::rcpt(Connection& connection, const QByteArray& argument)
{
    if (!connection.sender)
        return refuse(connection, 503, "5.5.1 MAIL first");
    const std::optional<PathArgument> path = parsePath(argument, "TO:");
    if (!path || path->path.isEmpty())
        return refuse(connection, 501, "5.5.4 Syntax: RCPT TO:<address>");
    if (connection.recipients.size() >= m_options.maxRecipients)
        return reply(connection, 452, "4.5.3 Too many recipients");
    connection.recipients.append(path->path);
    reply(connection, 250, "2.1.5 Recipient OK");
}

void SmtpTestServer::data(Connection& connection)
{
    if (!connection.sender)
        return refuse(connection, 503, "5.5.1 MAIL first");
    if (connection.recipients.isEmpty())
        return refuse(connection, 554, "5.5.1 No valid recipients");
    connection.phase = Connection::Phase::Data;
    reply(connection, 354, "End data with <CR><LF>.<CR><LF>");
}

void SmtpTestServer::dataLine(Connection& connection, const QByteArray& line)
{
    if (connection.midLine) {
        connection.midLine = false;
        return;
    }
    if (line == ".")
        return finishData(connection);
    if (connection.dataTooBig)
        return;
    // RFC 5321 4.5.2: the client doubled every leading dot.
    const QByteArrayView content =
        line.startsWith('.') ? QByteArrayView(line).sliced(1) : QByteArrayView(line);
    if (connection.data.size() + content.size() + 2 > m_options.maxMessageBytes) {
        connection.dataTooBig = true;
        connection.data.clear();
        return;
    }
    connection.data.append(content).append("\r\n");
}

void SmtpTestServer::finishData(Connection& connection)
{
    connection.phase = Connection::Phase::Command;
    if (answerAsScripted(connection, SmtpStage::DataEnd)) {
        connection.resetTransaction();
        return;
    }
    if (connection.dataTooBig) {
        connection.resetTransaction();
        return reply(connection, 552, "5.3.4 Message too big");
    }
    m_messages.push_back({*connection.sender, connection.recipients, connection.data,
                          connection.encrypted(), connection.authenticatedUser, connection.index});
    connection.resetTransaction();
    reply(connection, 250, "2.0.0 Queued as " + QByteArray::number(m_messages.size()));
    // Queued: a slot may destroy the server, which is still in the middle of reading.
    QMetaObject::invokeMethod(this, &SmtpTestServer::messageReceived, Qt::QueuedConnection);
}

void SmtpTestServer::reply(Connection& connection, int code, const QByteArray& text)
{
    connection.socket->write(QByteArray::number(code) + ' ' + text + "\r\n");
}

void SmtpTestServer::refuse(Connection& connection, int code, const QByteArray& text)
{
    reply(connection, code, text);
    if (++connection.errors < kMaxErrors || connection.phase == Connection::Phase::Closing)
        return;
    reply(connection, 421, "4.7.0 Too many errors, closing connection");
    closeByServer(connection);
}

void SmtpTestServer::closeByServer(Connection& connection)
{
    connection.phase = Connection::Phase::Closing;
    connection.socket->disconnectFromHost();
}

void SmtpTestServer::onDisconnected(QSslSocket* socket)
{
    const auto found = m_connections.find(socket);
    if (found == m_connections.end())
        return;
    m_connections.erase(found);
    socket->disconnect();
    socket->deleteLater();
}

} // namespace breakwater::testing
