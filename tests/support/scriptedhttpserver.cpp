#include "scriptedhttpserver.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <sys/socket.h>

namespace breakwater::testing {

namespace {

constexpr qint64 kHugeChunk = qint64{64} * 1024;
// Generated only while the socket's own buffer is below this: memory stays flat however large
// the body is, and the client's reading pace sets ours.
constexpr qint64 kMaxQueuedForSocket = qint64{256} * 1024;
constexpr qsizetype kMaxRequestBytes = qsizetype{1024} * 1024;

QByteArray statusLine(int status)
{
    return "HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\n";
}

QByteArray headerBlock(const HeaderList& headers)
{
    QByteArray block;
    for (const auto& [name, value] : headers)
        block += name + ": " + value + "\r\n";
    return block;
}

bool containsHeader(const HeaderList& headers, const QByteArray& name)
{
    return std::any_of(headers.begin(), headers.end(), [&name](const auto& header) {
        return header.first.compare(name, Qt::CaseInsensitive) == 0;
    });
}

} // namespace

QByteArray RecordedRequest::header(const QByteArray& name) const
{
    for (const auto& [headerName, value] : headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool RecordedRequest::hasHeader(const QByteArray& name) const
{
    return containsHeader(headers, name);
}

ScriptedResponse ScriptedResponse::respond(int status, const QByteArray& contentType,
                                           const QByteArray& body, const HeaderList& extra)
{
    ScriptedResponse response;
    response.status = status;
    if (!contentType.isEmpty())
        response.headers.append({QByteArrayLiteral("Content-Type"), contentType});
    response.headers.append(extra);
    response.body = body;
    return response;
}

ScriptedResponse ScriptedResponse::echo()
{
    ScriptedResponse response;
    response.mode = Mode::Echo;
    return response;
}

ScriptedResponse ScriptedResponse::hang()
{
    ScriptedResponse response;
    response.mode = Mode::Hang;
    return response;
}

ScriptedResponse ScriptedResponse::dripBody(int intervalMs)
{
    ScriptedResponse response;
    response.mode = Mode::DripBody;
    response.dripIntervalMs = intervalMs;
    return response;
}

ScriptedResponse ScriptedResponse::dripHeaders(int intervalMs)
{
    ScriptedResponse response;
    response.mode = Mode::DripHeaders;
    response.dripIntervalMs = intervalMs;
    return response;
}

ScriptedResponse ScriptedResponse::hugeBody(qint64 bytes, bool announceLength)
{
    ScriptedResponse response;
    response.mode = Mode::HugeBody;
    response.hugeBytes = bytes;
    response.announceLength = announceLength;
    return response;
}

ScriptedResponse ScriptedResponse::reset()
{
    ScriptedResponse response;
    response.mode = Mode::Reset;
    return response;
}

ScriptedResponse ScriptedResponse::closeMidBody(const QByteArray& sent, qint64 declaredLength)
{
    ScriptedResponse response;
    response.mode = Mode::CloseMidBody;
    response.body = sent;
    response.declaredLength = declaredLength;
    return response;
}

struct ScriptedHttpServer::Connection
{
    QTcpSocket* socket = nullptr;
    QByteArray inbound;
    bool answered = false;
    bool closingByServer = false;
    ScriptedResponse response;
    qint64 hugeRemaining = 0;
};

ScriptedHttpServer::ScriptedHttpServer()
{
    QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    m_server.listen(QHostAddress::LocalHost, 0);
}

ScriptedHttpServer::~ScriptedHttpServer()
{
    for (auto& [socket, connection] : m_connections) {
        socket->disconnect();
        delete socket;
    }
    m_connections.clear();
}

QUrl ScriptedHttpServer::url(const QString& pathPrefix) const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_server.serverPort());
    url.setPath(pathPrefix);
    return url;
}

void ScriptedHttpServer::accept()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        ++m_accepted;
        auto connection = std::make_unique<Connection>();
        connection->socket = socket;
        Connection& ref = *connection;
        m_connections.emplace(socket, std::move(connection));
        QObject::connect(socket, &QTcpSocket::readyRead, socket,
                         [this, &ref] { onReadyRead(ref); });
        QObject::connect(socket, &QTcpSocket::bytesWritten, socket, [this, &ref](qint64 bytes) {
            m_bytesWritten += bytes;
            if (ref.answered && ref.response.mode == ScriptedResponse::Mode::HugeBody)
                feedHugeBody(ref);
        });
        // Queued: a socket may report its end from inside abort() or write(), while the
        // connection is still in use further up the stack.
        QObject::connect(
            socket, &QTcpSocket::disconnected, socket, [this, socket] { onDisconnected(socket); },
            Qt::QueuedConnection);
        if (socket->bytesAvailable() > 0)
            onReadyRead(ref);
    }
}

void ScriptedHttpServer::onReadyRead(Connection& connection)
{
    connection.inbound += connection.socket->readAll();
    if (connection.answered || connection.inbound.size() > kMaxRequestBytes)
        return;
    const qsizetype headEnd = connection.inbound.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;

    RecordedRequest request;
    const QList<QByteArray> lines = connection.inbound.first(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    const QByteArray target = requestLine.value(1);
    const qsizetype queryStart = target.indexOf('?');
    request.path = queryStart < 0 ? target : target.first(queryStart);
    request.query = queryStart < 0 ? QByteArray() : target.mid(queryStart + 1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.append({line.first(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    const qint64 bodyLength = request.header(QByteArrayLiteral("Content-Length")).toLongLong();
    const qsizetype bodyStart = headEnd + 4;
    if (connection.inbound.size() - bodyStart < bodyLength)
        return; // wait for the rest of the body
    request.body = connection.inbound.mid(bodyStart, bodyLength);
    m_requests.push_back(request);

    connection.answered = true;
    if (m_queue.empty()) {
        connection.response = m_default;
    } else {
        connection.response = m_queue.front();
        m_queue.pop_front();
    }
    if (connection.response.mode == ScriptedResponse::Mode::Echo) {
        connection.response =
            ScriptedResponse::respond(200, QByteArrayLiteral("audio/mpeg"), request.body);
    }
    answer(connection);
}

void ScriptedHttpServer::answer(Connection& connection)
{
    const ScriptedResponse& response = connection.response;
    QTcpSocket* socket = connection.socket;
    using Mode = ScriptedResponse::Mode;
    switch (response.mode) {
    case Mode::Respond:
    case Mode::Echo: {
        QByteArray head = statusLine(response.status) + headerBlock(response.headers);
        if (!containsHeader(response.headers, QByteArrayLiteral("Content-Length")))
            head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
        socket->write(head + "Connection: close\r\n\r\n" + response.body);
        closeByServer(connection);
        break;
    }
    case Mode::Hang:
        break;
    case Mode::DripBody:
        startDrip(connection,
                  statusLine(200) + "Content-Type: audio/mpeg\r\nConnection: close\r\n\r\n");
        break;
    case Mode::DripHeaders:
        startDrip(connection, statusLine(200) + "X-Drip: ");
        break;
    case Mode::HugeBody: {
        QByteArray head = statusLine(200) + "Content-Type: audio/mpeg\r\nConnection: close\r\n";
        if (response.announceLength)
            head += "Content-Length: " + QByteArray::number(response.hugeBytes) + "\r\n";
        socket->write(head + "\r\n");
        connection.hugeRemaining = response.hugeBytes;
        feedHugeBody(connection);
        break;
    }
    case Mode::Reset: {
        // A zero linger turns close() into a reset instead of an orderly FIN.
        const linger resetOnClose{1, 0};
        ::setsockopt(static_cast<int>(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER,
                     &resetOnClose, sizeof resetOnClose);
        connection.closingByServer = true;
        socket->abort();
        break;
    }
    case Mode::CloseMidBody:
        socket->write(statusLine(200) + "Content-Type: audio/mpeg\r\nContent-Length: " +
                      QByteArray::number(response.declaredLength) +
                      "\r\nConnection: close\r\n\r\n" + response.body);
        closeByServer(connection);
        break;
    }
}

void ScriptedHttpServer::startDrip(Connection& connection, const QByteArray& head)
{
    QTcpSocket* socket = connection.socket;
    socket->write(head);
    auto* drip = new QTimer(socket);
    QObject::connect(drip, &QTimer::timeout, socket, [socket] { socket->write("a", 1); });
    drip->start(connection.response.dripIntervalMs);
}

void ScriptedHttpServer::feedHugeBody(Connection& connection)
{
    static const QByteArray chunk(kHugeChunk, 'x');
    QTcpSocket* socket = connection.socket;
    while (connection.hugeRemaining > 0 && socket->state() == QAbstractSocket::ConnectedState &&
           socket->bytesToWrite() < kMaxQueuedForSocket) {
        const qint64 size = std::min(kHugeChunk, connection.hugeRemaining);
        if (socket->write(chunk.constData(), size) != size)
            return;
        connection.hugeRemaining -= size;
    }
    if (connection.hugeRemaining == 0 && !connection.closingByServer)
        closeByServer(connection);
}

void ScriptedHttpServer::closeByServer(Connection& connection)
{
    connection.closingByServer = true;
    connection.socket->disconnectFromHost();
}

void ScriptedHttpServer::onDisconnected(QTcpSocket* socket)
{
    const auto found = m_connections.find(socket);
    if (found == m_connections.end())
        return;
    if (!found->second->closingByServer)
        ++m_closedByClient;
    m_connections.erase(found);
    socket->disconnect();
    socket->deleteLater();
}

} // namespace breakwater::testing
