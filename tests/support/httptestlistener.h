#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace breakwater::testing {

// One HTTP/1.1 request as TelegramTestServer and WebhookTestReceiver see it.
struct HttpTestRequest
{
    QByteArray method;
    QByteArray target; // as sent, query and percent-encoding intact
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // The first header of that name, case-insensitively; null when absent.
    QByteArray header(QByteArrayView name) const
    {
        for (const auto& [headerName, value] : headers) {
            if (QByteArrayView(headerName).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    // The media type of Content-Type, lower-cased and without parameters such as charset.
    QByteArray mediaType() const
    {
        const QByteArray type = header("Content-Type");
        const qsizetype semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.first(semicolon)).trimmed().toLower();
    }
};

struct HttpTestResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
};

// The socket half of the HTTP fakes: a QTcpServer on 127.0.0.1 that reads requests with
// Content-Length bodies, hands each complete one to the handler and writes its answer, one
// request per connection. Header-only and without Q_OBJECT so that each fake's .cpp is all a
// test has to build. Sizes are capped and garbage is answered 400, never trusted: the client
// under test may be what sends it.
class HttpTestListener final
{
public:
    // nullopt from the handler: keep reading, never answer (a hanging server).
    using Handler = std::function<std::optional<HttpTestResponse>(const HttpTestRequest&)>;

    static constexpr qsizetype kMaxHeadBytes = 16 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 1024 * 1024;

    explicit HttpTestListener(Handler handler)
        : m_handler(std::move(handler))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
        m_server.listen(QHostAddress::LocalHost, 0);
        m_port = m_server.serverPort();
    }
    ~HttpTestListener() { dropConnections(); }
    Q_DISABLE_COPY_MOVE(HttpTestListener)

    bool isListening() const { return m_server.isListening(); }
    quint16 port() const { return m_port; }

    // Down: connections are refused and open ones are cut, as when the process dies. Up: the same
    // port again, so a client configured with the old URL reaches it.
    void setDown(bool down)
    {
        if (down) {
            m_server.close();
            dropConnections();
        } else if (!m_server.isListening() && m_port != 0) {
            m_server.listen(QHostAddress::LocalHost, m_port);
        }
    }

private:
    struct Connection
    {
        QTcpSocket* socket = nullptr;
        QByteArray inbound;
        bool finished = false; // answered or hanging: whatever comes next is read and dropped
        bool continued = false;
    };

    static QByteArray reason(int status)
    {
        static const std::map<int, QByteArray> reasons = {
            {200, "OK"},
            {400, "Bad Request"},
            {401, "Unauthorized"},
            {403, "Forbidden"},
            {404, "Not Found"},
            {405, "Method Not Allowed"},
            {410, "Gone"},
            {413, "Content Too Large"},
            {415, "Unsupported Media Type"},
            {429, "Too Many Requests"},
            {431, "Request Header Fields Too Large"},
            {500, "Internal Server Error"},
            {501, "Not Implemented"},
            {502, "Bad Gateway"},
            {503, "Service Unavailable"},
            {504, "Gateway Timeout"},
        };
        const auto found = reasons.find(status);
        return found == reasons.end() ? QByteArray("Status") : found->second;
    }

    static HttpTestResponse plain(int status, const QByteArray& text)
    {
        return {status, "text/plain", text, {}};
    }

    void accept()
    {
        while (QTcpSocket* socket = m_server.nextPendingConnection()) {
            auto connection = std::make_unique<Connection>();
            connection->socket = socket;
            Connection& ref = *connection;
            m_connections.emplace(socket, std::move(connection));
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, &ref] { read(ref); });
            // Queued: a socket can report its end from inside write() or abort(), while the
            // connection is still in use further up the stack.
            QObject::connect(
                socket, &QTcpSocket::disconnected, socket, [this, socket] { forget(socket); },
                Qt::QueuedConnection);
            if (socket->bytesAvailable() > 0)
                read(ref);
        }
    }

    void read(Connection& connection)
    {
        const QByteArray bytes = connection.socket->readAll();
        if (connection.finished)
            return;
        connection.inbound += bytes;
        const qsizetype headEnd = connection.inbound.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            if (connection.inbound.size() > kMaxHeadBytes)
                answer(connection, plain(431, "request head too large"));
            return;
        }
        if (headEnd > kMaxHeadBytes)
            return answer(connection, plain(431, "request head too large"));

        HttpTestRequest request;
        const QList<QByteArray> lines = connection.inbound.first(headEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        if (requestLine.size() != 3 || requestLine.at(0).isEmpty() ||
            !requestLine.at(1).startsWith('/') || !requestLine.at(2).startsWith("HTTP/1."))
            return answer(connection, plain(400, "malformed request line"));
        request.method = requestLine.at(0);
        request.target = requestLine.at(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return answer(connection, plain(400, "malformed header line"));
            request.headers.append({line.first(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        // libcurl sends POSTFIELDS with a Content-Length; chunked bodies are not read here.
        if (!request.header("Transfer-Encoding").isNull())
            return answer(connection, plain(501, "Transfer-Encoding is not supported"));
        const QByteArray lengthText = request.header("Content-Length");
        bool lengthOk = true;
        const qint64 length = lengthText.isNull() ? 0 : lengthText.toLongLong(&lengthOk);
        if (!lengthOk || length < 0)
            return answer(connection, plain(400, "malformed Content-Length"));
        if (length > kMaxBodyBytes)
            return answer(connection, plain(413, "body too large"));
        const qsizetype bodyStart = headEnd + 4;
        if (connection.inbound.size() - bodyStart < length) {
            if (!connection.continued &&
                request.header("Expect").compare("100-continue", Qt::CaseInsensitive) == 0) {
                connection.continued = true;
                connection.socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            }
            return; // the rest of the body is still on its way
        }
        request.body = connection.inbound.mid(bodyStart, length);

        connection.finished = true;
        connection.inbound.clear();
        if (const std::optional<HttpTestResponse> response = m_handler(request))
            answer(connection, *response);
    }

    void answer(Connection& connection, const HttpTestResponse& response)
    {
        connection.finished = true;
        connection.inbound.clear();
        QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
                          reason(response.status) + "\r\n";
        if (!response.contentType.isEmpty())
            head += "Content-Type: " + response.contentType + "\r\n";
        for (const auto& [name, value] : response.headers)
            head += name + ": " + value + "\r\n";
        head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
        head += "Connection: close\r\n\r\n";
        connection.socket->write(head + response.body);
        connection.socket->disconnectFromHost();
    }

    void forget(QTcpSocket* socket)
    {
        if (m_connections.erase(socket) == 0)
            return;
        socket->disconnect();
        socket->deleteLater();
    }

    void dropConnections()
    {
        for (auto& [socket, connection] : m_connections) {
            socket->disconnect();
            socket->abort();
            socket->deleteLater();
        }
        m_connections.clear();
    }

    Handler m_handler;
    QTcpServer m_server;
    quint16 m_port = 0;
    std::map<QTcpSocket*, std::unique_ptr<Connection>> m_connections;
};

} // namespace breakwater::testing
