BEGIN TRANSACTION;
CREATE TABLE actions (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	at VARCHAR(32) NOT NULL, 
	actor VARCHAR(100) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	summary TEXT NOT NULL, 
	changes TEXT, 
	target_id INTEGER, 
	FOREIGN KEY(target_id) REFERENCES actions (id)
);
INSERT INTO "actions" VALUES(1,'2026-11-23T06:22:25Z','onderzoeker1','new','created project ''v1 project''',NULL,NULL);
INSERT INTO "actions" VALUES(2,'2026-11-23T06:22:25Z','onderzoeker1','import','imported ''v1doc'' (transcript, 38 characters)','[{"op":"insert","table":"documents","row":{"name":"v1doc","kind":"transcript","text":"I: Wat helpt?\nR: Het team helpt echt.\n","content_hash":"ad2d86487fea2a1758538030a8cf46cdd141d315c71f31a33ff476027d3d4bb4","case_id":null,"source":"/tmp/v1doc.txt","imported":"2026-11-23T06:22:25Z","id":1}}]',NULL);
INSERT INTO "actions" VALUES(3,'2026-11-23T06:22:26Z','onderzoeker1','add code','added code ''succesfactoren'' (Succesfactoren)','[{"op":"insert","table":"codes","row":{"id":"succesfactoren","parent_id":null,"name":"Succesfactoren","description":"","dimension":null,"color":"#2e7d32","position":0}}]',NULL);
INSERT INTO "actions" VALUES(4,'2026-11-23T06:22:26Z','onderzoeker1','add code','added code ''succesfactoren-team'' (M.b.t. team)','[{"op":"insert","table":"codes","row":{"id":"succesfactoren-team","parent_id":"succesfactoren","name":"M.b.t. team","description":"","dimension":null,"color":null,"position":0}}]',NULL);
INSERT INTO "actions" VALUES(5,'2026-11-23T06:22:27Z','onderzoeker1','code','coded ''v1doc'' 17-38 as ''succesfactoren-team'' (coding #1)','[{"op":"insert","table":"coders","row":{"name":"onderzoeker1","id":1}},{"op":"insert","table":"codings","row":{"document_id":1,"start_offset":17,"end_offset":38,"code_id":"succesfactoren-team","coder_id":1,"memo":"","created":"2026-11-23T06:22:27Z","id":1}}]',NULL);
CREATE TABLE case_attributes (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	case_id VARCHAR(200) NOT NULL, 
	"key" VARCHAR(100) NOT NULL, 
	value TEXT NOT NULL, 
	UNIQUE (case_id, "key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id)
);
CREATE TABLE cases (
	id VARCHAR(200) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE coders (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	name VARCHAR(100) NOT NULL, 
	UNIQUE (name)
);
INSERT INTO "coders" VALUES(1,'onderzoeker1');
CREATE TABLE codes (
	id VARCHAR(100) NOT NULL, 
	parent_id VARCHAR(100), 
	name VARCHAR(500) NOT NULL, 
	description TEXT NOT NULL, 
	dimension VARCHAR(100), 
	color VARCHAR(7), 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(parent_id) REFERENCES codes (id)
);
INSERT INTO "codes" VALUES('succesfactoren',NULL,'Succesfactoren','',NULL,'#2e7d32',0);
INSERT INTO "codes" VALUES('succesfactoren-team','succesfactoren','M.b.t. team','',NULL,NULL,0);
CREATE TABLE codings (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	document_id INTEGER NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	code_id VARCHAR(100) NOT NULL, 
	coder_id INTEGER NOT NULL, 
	memo TEXT NOT NULL, 
	created VARCHAR(32) NOT NULL, 
	UNIQUE (document_id, start_offset, end_offset, code_id, coder_id), 
	CONSTRAINT coding_span CHECK (start_offset >= 0 AND end_offset > start_offset), 
	FOREIGN KEY(document_id) REFERENCES documents (id), 
	FOREIGN KEY(code_id) REFERENCES codes (id), 
	FOREIGN KEY(coder_id) REFERENCES coders (id)
);
INSERT INTO "codings" VALUES(1,1,17,38,'succesfactoren-team',1,'','2026-11-23T06:22:27Z');
CREATE TABLE document_attributes (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	document_id INTEGER NOT NULL, 
	"key" VARCHAR(100) NOT NULL, 
	value TEXT NOT NULL, 
	UNIQUE (document_id, "key"), 
	FOREIGN KEY(document_id) REFERENCES documents (id)
);
CREATE TABLE documents (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	name VARCHAR(300) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	text TEXT NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	case_id VARCHAR(200), 
	source TEXT NOT NULL, 
	imported VARCHAR(32) NOT NULL, 
	UNIQUE (name), 
	UNIQUE (content_hash), 
	FOREIGN KEY(case_id) REFERENCES cases (id)
);
INSERT INTO "documents" VALUES(1,'v1doc','transcript','I: Wat helpt?
R: Het team helpt echt.
','ad2d86487fea2a1758538030a8cf46cdd141d315c71f31a33ff476027d3d4bb4',NULL,'/tmp/v1doc.txt','2026-11-23T06:22:25Z');
CREATE TABLE project (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT NOT NULL, 
	created VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "project" VALUES(1,'v1 project','','2026-11-23T06:22:25Z');
CREATE TABLE schema_version (
	id INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "schema_version" VALUES(1,1);
CREATE TABLE turns (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	document_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	speaker VARCHAR(200) NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	UNIQUE (document_id, seq), 
	CONSTRAINT turn_span CHECK (start_offset >= 0 AND end_offset >= start_offset), 
	FOREIGN KEY(document_id) REFERENCES documents (id)
);
CREATE INDEX ix_codings_document ON codings (document_id, start_offset);
CREATE INDEX ix_codings_code ON codings (code_id);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('actions',5);
INSERT INTO "sqlite_sequence" VALUES('documents',1);
INSERT INTO "sqlite_sequence" VALUES('coders',1);
INSERT INTO "sqlite_sequence" VALUES('codings',1);
COMMIT;
