"""Explicit mentions on the built-in taxonomy: every tool a résumé or an ad names is found, with its span, marked
explicit and ranked before anything inferred; ordinary words are not read as tools. Sentences written for these
tests (no evaluation data)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.skills.builtin import load_builtin
from talentbridge.skills.encoder import HashingEncoder
from talentbridge.skills.extract import SkillExtractor


@pytest.fixture(scope="module")
def builtin_extractor() -> SkillExtractor:
    return SkillExtractor(load_builtin())


@pytest.fixture(scope="module")
def semantic_builtin_extractor() -> SkillExtractor:
    return SkillExtractor(load_builtin(), encoder=HashingEncoder())


def found(extractor: SkillExtractor, text: str, top: int = 20) -> dict[str, list[str]]:
    """English label -> the text at its spans, for explicit mentions."""
    return {s.label: [text[a:b] for a, b in s.spans] for s in extractor.extract(text, top=top) if s.via == "explicit"}


RESUME_SKILLS = (
    "SKILLS\nPython, C++, PyTorch, TensorFlow, OpenCV, CUDA, Docker, Kubernetes, MLflow, Kubeflow, SQL, AWS\n"
    "EXPERIENCE\nBuilt defect-detection models for a battery line; containerised them with Docker."
)
NAMED = {
    "Python": "Python",
    "C++": "C++",
    "PyTorch": "PyTorch",
    "TensorFlow": "TensorFlow",
    "OpenCV": "OpenCV",
    "CUDA programming": "CUDA",
    "Docker": "Docker",
    "Kubernetes": "Kubernetes",
    "MLflow": "MLflow",
    "Kubeflow": "Kubeflow",
    "SQL": "SQL",
    "Amazon Web Services (AWS)": "AWS",
}


def _label_of(extractor: SkillExtractor, skill_id: str) -> str:
    return extractor.taxonomy.skills[skill_id].label_en


def test_resume_skills_line_every_tool_found_explicit_and_first(semantic_builtin_extractor):
    ex = semantic_builtin_extractor
    ranked = ex.extract(RESUME_SKILLS, top=20)
    by_label = {s.label: s for s in ranked}
    for surface in NAMED.values():
        hits = [s for s in ranked if any(RESUME_SKILLS[a:b] == surface for a, b in s.spans)]
        assert hits, f"{surface} not found"
        assert all(s.via == "explicit" for s in hits)
    docker = next(s for s in ranked if "Docker" in [RESUME_SKILLS[a:b] for a, b in s.spans])
    assert len(docker.spans) == 2  # named twice, both mentions kept
    vias = [s.via for s in ranked]
    first_inferred = vias.index("semantic") if "semantic" in vias else len(vias)
    assert "explicit" not in vias[first_inferred:]  # nothing explicit after an inferred skill
    assert by_label  # and the list is not empty


def test_explicit_mentions_are_never_cut_by_top(builtin_extractor):
    ranked = builtin_extractor.extract(RESUME_SKILLS, top=3)
    surfaces = {RESUME_SKILLS[a:b] for s in ranked for a, b in s.spans}
    assert set(NAMED.values()) <= surfaces


def test_korean_resume_with_particles(builtin_extractor):
    text = (
        "파이썬과 C++로 영상처리 알고리즘을 개발했습니다. 파이토치 기반 모델을 학습하고 텐서플로우로 서빙했으며, "
        "도커를 이용해 배포하고 쿠버네티스 클러스터를 운영했습니다. OpenCV 활용 경험이 있습니다."
    )
    got = {text[a:b] for s in builtin_extractor.extract(text, top=30) if s.via == "explicit" for a, b in s.spans}
    for surface in ("파이썬", "C++", "파이토치", "텐서플로우", "도커", "쿠버네티스", "OpenCV"):
        assert surface in got, surface


def test_ad_with_proficiency_names_every_tool(builtin_extractor):
    text = "[자격요건]\nPython, PyTorch, OpenCV 능숙자\nTensorRT 최적화 경험, Docker 사용 경험"
    got = found(builtin_extractor, text)
    spans = {s for v in got.values() for s in v}
    assert {"Python", "PyTorch", "OpenCV", "TensorRT", "Docker"} <= spans


@pytest.mark.parametrize(
    "text, surface",
    [
        ("ASP.NET MVC and C# on .NET 6", "C#"),
        ("ASP.NET MVC and C# on .NET 6", ".NET"),
        ("ASP.NET MVC and C# on .NET 6", "ASP.NET"),
        ("REST services in Node.js and TypeScript", "Node.js"),
        ("Deploys to k8s with Helm charts", "k8s"),
        ("DOCKER and docker-compose", "DOCKER"),
        ("Embedded C/C++ firmware", "C++"),
        ("Embedded C/C++ firmware", "C"),
        ("Python, R and SQL for analysis", "R"),
        ("Backend in Go, Rust and Java", "Go"),
        ("C 언어와 임베디드 개발", "C"),
        ("분산 처리 경험이 있습니다. Spark 경험이 있습니다.", "Spark"),  # found by the property test below
    ],
)
def test_tech_spellings_are_whole_tokens(builtin_extractor, text, surface):
    spans = {text[a:b] for s in builtin_extractor.extract(text, top=30) if s.via == "explicit" for a, b in s.spans}
    assert surface in spans


@pytest.mark.parametrize(
    "text, surface",
    [
        ("Let's go to the office together.", "go"),
        ("Go to our careers page to apply.", "Go"),
        ("It is a great place to work; it pays well.", "it"),
        ("Our R&D center hires graduates.", "R"),
        ("Grade C steel and Plan B.", "C"),
        ("The C-level team decides.", "C"),
        ("Please access the portal and react quickly.", "access"),
        ("We excel at teamwork.", "excel"),
    ],
)
def test_ordinary_words_are_not_tools(builtin_extractor, text, surface):
    for s in builtin_extractor.extract(text, top=30):
        if s.via == "explicit":
            assert surface not in [text[a:b] for a, b in s.spans], (s.label, text)


def test_csharp_is_not_c(builtin_extractor):
    text = "Senior C# developer"
    labels = {s.label for s in builtin_extractor.extract(text, top=30) if s.via == "explicit"}
    assert _label_of(builtin_extractor, "csharp") in labels
    assert _label_of(builtin_extractor, "c-language") not in labels


def test_acronym_it_is_found_in_capitals(builtin_extractor):
    text = "Provide IT support to 300 users."
    labels = {s.label for s in builtin_extractor.extract(text, top=30) if s.via == "explicit"}
    assert _label_of(builtin_extractor, "information-technology") in labels


def test_common_words_from_other_sources_are_not_mentions():
    """A one-word alternative label that is a common English word ("design") counts only when the built-in files
    give it; an ESCO-only concept carrying it is not suggested as explicit."""
    from talentbridge.skills.taxonomy import Skill

    tax = load_builtin()
    tax.add_skills([Skill("http://esco/think", "think creatively", alt_en=["design"], builtin=False)])
    ex = SkillExtractor(tax)
    labels = {s.label for s in ex.extract("We value good design.", top=30) if s.via == "explicit"}
    assert "think creatively" not in labels


TOOLS = ["Python", "PyTorch", "TensorFlow", "OpenCV", "Docker", "Kubernetes", "SQL", "C++", "CUDA", "MLflow",
         "파이토치", "도커", "텐서플로", "쿠버네티스", "Node.js", "C#", ".NET", "Java", "Spark", "Kafka"]  # fmt: skip
FILLER = st.sampled_from(
    ["경험이 있습니다.", "we are hiring", "실무 경험 우대", "and more", "프로젝트 수행", "in production", "\n", "- "]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # a list: two or more (a lone ambiguous word opening a sentence is the context rules' case, tested above)
    picks=st.lists(st.sampled_from(TOOLS), min_size=2, max_size=8, unique=True),
    before=FILLER,
    after=FILLER,
    sep=st.sampled_from([", ", " / ", ", ", " · ", "\n- "]),
)
def test_any_list_of_named_tools_is_found_whole(builtin_extractor, picks, before, after, sep):
    text = f"{before} {sep.join(picks)} {after}"
    spans = {text[a:b] for s in builtin_extractor.extract(text, top=5) if s.via == "explicit" for a, b in s.spans}
    for tool in picks:
        assert tool in spans, (tool, text)


def test_spans_point_at_the_text(builtin_extractor):
    text = "Python과 PyTorch 기반 개발, Docker를 사용합니다"
    for s in builtin_extractor.extract(text, top=30):
        for a, b in s.spans:
            assert 0 <= a < b <= len(text)
            assert re.search(r"\w", text[a:b])


def test_the_first_item_of_a_bulleted_list_is_a_mention(builtin_extractor):
    """Found by the property above: an ambiguous word opening a sentence is a term when a bulleted list follows."""
    text = "경험이 있습니다. Spark\n- Python 경험이 있습니다."
    spans = {text[a:b] for s in builtin_extractor.extract(text, top=5) if s.via == "explicit" for a, b in s.spans}
    assert {"Spark", "Python"} <= spans


@pytest.mark.parametrize(
    "text, surface, skill_id",
    [
        ("Monitoring with Dynatrace and Grafana", "Dynatrace", "apm-tools"),
        ("API tests in Postman; UI tests in Cypress", "Postman", "api-testing-tools"),
        ("API tests in Postman; UI tests in Cypress", "Cypress", "e2e-testing"),
        ("Manage the Sophos firewall and VPN", "Sophos firewall", "firewall-platforms"),
        ("Interfaces over HL7 and FHIR", "FHIR", "health-data-standards"),
        ("TESOL or CELTA certificate required", "CELTA", "english-language-teaching"),
        ("Amazon EC2, RDS and S3 administration", "RDS", "amazon-rds"),
        ("Maps in ArcGIS, QGIS", "QGIS", "gis-software"),
        ("더존 회계 프로그램 사용 가능자", "더존", "accounting-software"),
        ("약전 설비 설계 경험 (CCTV, 출입통제)", "출입통제", "access-control-systems"),
        ("Write the BRD and SRS with stakeholders", "BRD", "requirements-documents"),
        ("Requirements traced in IBM DOORS", "IBM DOORS", "requirements-tools"),
        ("PLC: 지멘스 PLC, 미쓰비시 PLC 래더 작성", "지멘스 PLC", "plc-programming"),
        ("전자정부프레임워크 기반 SI 개발", "전자정부프레임워크", "spring-framework"),
        ("Backend services in an MSA on Kubernetes", "MSA", "microservices"),
        ("Distributed jobs with Ray, Dask and Spark", "Dask", "distributed-data-processing"),
        ("Distributed jobs with Ray, Dask and Spark", "Ray", "ray"),
        ("Firmware for ARM Cortex-M and CAN bus", "ARM Cortex-M", "embedded-systems"),
        ("Desktop tools in Qt and C++", "Qt", "desktop-gui-development"),
        ("리눅스 디바이스 드라이버 개발 경험", "디바이스 드라이버", "device-driver"),
        ("설비 센서 시계열 데이터 처리", "시계열", "time-series-analysis"),
        ("검사 라인의 비전 시스템 구축", "비전 시스템", "machine-vision"),
        ("Chatbots on ChatGPT and Claude API", "ChatGPT", "llm-apis"),
        ("Logs shipped with Logstash; 로그스태시 운영", "로그스태시", "elasticsearch"),
        ("국산 DBMS(티베로, 알티베이스, 큐브리드) 운영", "알티베이스", "relational-database"),
        ("모델을 온닉스로 변환해 배포", "온닉스", "onnx"),
        ("Images pushed to ECR and run on ECS", "ECR", "aws"),
        ("Datasets annotated in Roboflow", "Roboflow", "data-labeling"),
        # BI tools named as themselves, not only as *Business intelligence*
        ("Dashboards in Tableau and Power BI", "Tableau", "tableau"),
        ("Dashboards in Tableau and Power BI", "Power BI", "power-bi"),
        ("태블로, 파워BI 대시보드 구축", "파워BI", "power-bi"),
        ("Reports in Looker", "Looker", "business-intelligence"),
        # office and business work as résumés list it
        ("Skills: data entry, scheduling, proofreading", "proofreading", "proofreading-editing"),
        ("Skills: data entry, scheduling, proofreading", "data entry", "data-entry"),
        ("Web pages in Dreamweaver; mail in Lotus Notes", "Lotus Notes", "lotus-notes"),
        ("보도자료 작성 및 언론 대응", "보도자료 작성", "public-relations"),
        ("Inventory control, shipping and receiving", "Inventory control", "supply-chain"),
        ("Posted journal entries to the general ledger", "general ledger", "accounting"),
        ("Booth staff at trade shows", "trade shows", "event-planning"),
    ],
)
def test_tools_real_ads_name_are_in_the_taxonomy(builtin_extractor, text, surface, skill_id):
    """Tools, platforms and standards of the kinds job ads name (APM, API testing, firewalls, health IT, teaching
    certificates, cloud services, GIS, Korean accounting software, building systems, requirements documents)."""
    label = _label_of(builtin_extractor, skill_id)
    got = found(builtin_extractor, text, top=30)
    assert label in got, (text, sorted(got))
    assert surface in got[label]


@pytest.mark.parametrize(
    "text, surface",
    [
        ("Opportunity opens doors to growth.", "doors"),
        ("At the apex of the season we hire.", "apex"),
        ("We combine data from many sources.", "combine"),
        ("A ray of hope for the team.", "ray"),
        ("He injured his arm at work.", "arm"),
        ("레이저 가공 설비 운영", "레이"),
        ("하이브리드 근무 가능", "하이브"),
    ],
)
def test_new_tool_names_that_are_ordinary_words_need_capitals(builtin_extractor, text, surface):
    for s in builtin_extractor.extract(text, top=30):
        if s.via == "explicit":
            assert surface not in [text[a:b] for a, b in s.spans], (s.label, text)


# -- words run together, words glued on, names inside longer names ---------------------------------------------


def _ids(extractor: SkillExtractor, text: str) -> list[str]:
    by_uri = extractor.taxonomy.skill_by_uri()
    return [by_uri[s.uri].id for s in extractor.extract(text, top=40) if s.via == "explicit"]


def _spans_of(extractor: SkillExtractor, text: str, skill_id: str) -> list[str]:
    by_uri = extractor.taxonomy.skill_by_uri()
    for s in extractor.extract(text, top=40):
        if by_uri[s.uri].id == skill_id and s.via == "explicit":
            return [text[a:b] for a, b in s.spans]
    return []


@pytest.mark.parametrize(
    ("text", "skill_id", "surface"),
    [
        # a list copied from a web page that lost its line breaks
        ("Requirements\nHands-on with Docker and KubernetesExperience with Terraform", "kubernetes", "Kubernetes"),
        ("Familiar with Jira and TerraformExcellent written English", "terraform", "Terraform"),
        ("Strong front-end skills: HTML and JavaScriptStrong testing habits", "javascript", "JavaScript"),
    ],
)
def test_a_tool_glued_to_the_next_line_is_found(builtin_extractor, text, skill_id, surface):
    assert surface in _spans_of(builtin_extractor, text, skill_id)


def test_a_camel_case_name_that_is_a_label_stays_whole(builtin_extractor):
    text = "Modern web stack: JavaScriptStrong, TypeScript"
    assert "java" not in _ids(builtin_extractor, text)
    assert _spans_of(builtin_extractor, text, "javascript") == ["JavaScript"]


def test_an_ambiguous_word_cut_from_a_glued_name_is_not_a_tool(builtin_extractor):
    # "Express" is a tool only where it is written as a name; here it is half of a vendor's product name
    assert "expressjs" not in _ids(builtin_extractor, "UI built with DevExpress controls for WinForms")
    assert "expressjs" in _ids(builtin_extractor, "Back end in Node.js, Express, MongoDB")


def test_a_small_word_is_not_glued_onto_a_label(builtin_extractor):
    assert "speech-recognition" not in _ids(builtin_extractor, "We are hiring a Sr engineer for the Java team.")
    assert "speech-recognition" in _ids(builtin_extractor, "Built ASR and TTS pipelines in Python.")


def test_several_words_still_meet_a_label_written_as_one(builtin_extractor):
    # "data base" is *database*: no small word is glued on
    text = "Good knowledge of data base design and MS SQL."
    assert any(span.lower() == "data base design" for span in _spans_of(builtin_extractor, text, "database-design"))


@pytest.mark.parametrize(
    ("text", "inside", "longer"),
    [
        (
            "Computer Science graduate\nday to day: jira and python scripting.",
            "computer-engineering",
            "computer-science",
        ),
        ("Business Intelligence Analyst\ntools: jira, python", "business-general", "business-intelligence"),
    ],
)
def test_a_common_word_inside_a_longer_name_follows_the_named_skills(builtin_extractor, text, inside, longer):
    # "Computer" in "Computer Science" is still offered, but after the skills the text names in full
    ranked = _ids(builtin_extractor, text)
    assert {inside, longer, "jira", "python"} <= set(ranked)
    assert ranked.index(inside) > max(ranked.index(x) for x in (longer, "jira", "python"))


@pytest.mark.parametrize(
    ("text", "skill_id", "surface"),
    [
        ("Must know drawing standards (ASME Y14.5) and tolerance stack-ups.", "technical-drawing", "drawing standards"),
        ("Daily sales prospecting by phone and email; keeps the CRM up to date.", "sales", "sales prospecting"),
        ("Data extraction from the ERP, then reports in Power BI.", "etl", "Data extraction"),
        ("SAP CO: product costing and cost centre accounting.", "accounting", "product costing"),
        ("Five years on offshore projects in the oil and gas industry.", "oil-and-gas-industry", "oil and gas"),
        ("석유·가스 산업 플랜트 설계 경력자 우대", "oil-and-gas-industry", "석유·가스 산업"),
    ],
)
def test_names_an_ad_uses_for_skills_are_labels(builtin_extractor, text, skill_id, surface):
    assert surface in _spans_of(builtin_extractor, text, skill_id)


def test_prospecting_alone_is_not_sales(builtin_extractor):
    assert "sales" not in _ids(builtin_extractor, "Field geologist for mineral prospecting in the north.")


def test_mixed_korean_english_sentence_keeps_every_named_tool(builtin_extractor):
    text = "PyTorch 기반 비전 검사 모델 개발, Docker, OpenCV, 텐서플로"
    named = {"pytorch": "PyTorch", "docker": "Docker", "opencv": "OpenCV", "tensorflow": "텐서플로"}
    for skill_id, surface in named.items():
        assert surface in _spans_of(builtin_extractor, text, skill_id), skill_id


# -- Korean labels the morphological analyser reads only in part -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        # "AWS 글루" was read as "AWS": every AWS user got AWS Glue and the cloud data services as named skills
        ("AWS 운영 경험 3년", "aws-data-services"),
        ("AWS 운영 경험 3년", "cloud-data-services"),
        ("유동성 관리 업무", "cae"),  # "유동해석" was read as "유동" (liquidity is not flow analysis)
        ("교육 과정 평가 담당", "carbon-management"),  # "전과정평가" (LCA) was read as "과정평가"
        ("로봇 팔 제어 경험", "robot-perception"),  # "로봇 인지" was read as "로봇"
        ("파이 차트로 매출 보고", "numpy"),  # "넘파이" was read as "파이"
    ],
)
def test_a_korean_label_read_in_part_is_not_named_by_that_part(builtin_extractor, text, skill_id):
    assert skill_id not in _ids(builtin_extractor, text)


@pytest.mark.parametrize(
    ("text", "skill_id", "surface"),
    [
        ("도커를 이용한 배포", "docker", "도커"),
        ("넘파이 배열 연산 최적화", "numpy", "넘파이 배열"),
        ("전과정평가(LCA) 수행", "carbon-management", "전과정평가"),
        ("로봇 인지 알고리즘 개발", "robot-perception", "로봇 인지"),
        ("유동해석 및 구조해석", "cae", "유동해석"),
        # mixed labels read in part: found written out too, whatever the case of the Latin part
        ("AWS 글루 ETL 파이프라인", "aws-data-services", "AWS 글루"),
        ("aws글루 사용", "aws-data-services", "aws글루"),
        ("온디바이스 AI 모델 경량화", "on-device-ai", "온디바이스 AI"),
    ],
)
def test_a_korean_label_read_in_part_is_still_found_written_out(builtin_extractor, text, skill_id, surface):
    assert surface in _spans_of(builtin_extractor, text, skill_id)


def test_a_mixed_label_starts_at_a_word(builtin_extractor):
    assert "aws-data-services" not in _ids(builtin_extractor, "HAWS 글루건 작업")


def test_a_letter_that_grows_when_lowered_keeps_the_spans_on_the_text(builtin_extractor):
    # "İ" lowers to two characters; the case-folded Hangul pass must still point at the words written
    assert _spans_of(builtin_extractor, "İzmir 지사, AWS 글루 ETL", "aws-data-services") == ["AWS 글루"]


# -- a piece of a word inside a longer name is not a mention of its own ---------------------------------------


@pytest.mark.parametrize(
    ("text", "piece", "named"),
    [
        # "전자" (electronics) of the e-government framework, "개발" of 연구개발 (R&D) / SW개발, "관리" of 버전관리
        ("전자정부 프레임워크 기반 웹 개발자", "electrical-engineering", "spring-framework"),
        ("연구개발 부서에서 근무", "software-development", "research"),
        ("SW개발 경험 3년", "software-development", "software-engineering"),
        ("버전관리 도구 사용", "management-general", "version-control"),
        ("컴퓨터공학 전공", "engineering-general", "computer-engineering"),
        # an industry word that ends a company's name: the employer, not a field of work
        ("한빛전자 웹 개발자", "electrical-engineering", "web-development"),
        ("LG전자 웹 개발 5년", "electrical-engineering", "web-development"),
    ],
)
def test_a_piece_of_a_word_inside_a_longer_name_is_not_named(builtin_extractor, text, piece, named):
    ids = _ids(builtin_extractor, text)
    assert named in ids
    assert piece not in ids


@pytest.mark.parametrize(
    ("text", "skill_id", "surface"),
    [
        ("Microsoft SQL Server를 운영", "sql-server", "SQL Server"),  # a particle after a Latin word: still a word
        ("API를 개발했습니다", "api-development", "API"),
        ("Spark경험 필수", "apache-spark", "Spark"),
        ("관리 및 버전관리", "management-general", "관리"),  # the same word standing alone is still named
        ("전자 회로 설계", "electrical-engineering", "전자"),
    ],
)
def test_a_whole_word_inside_or_before_a_korean_word_stays_named(builtin_extractor, text, skill_id, surface):
    assert surface in _spans_of(builtin_extractor, text, skill_id)


def test_a_latin_piece_glued_to_hangul_inside_a_longer_name_is_dropped():
    from talentbridge.skills.mentions import Mention, _without_word_pieces

    text = "텐서RT 모델"  # "RT" (radiotherapy in ESCO) inside "텐서RT" (TensorRT)
    tensorrt, rt = Mention(1, 0, 4, 1, 1.0), Mention(2, 2, 4, 1, 1.0)
    assert _without_word_pieces(text, [tensorrt, rt]) == [tensorrt]
    assert _without_word_pieces("RT 모델", [Mention(2, 0, 2, 1, 1.0)]) == [Mention(2, 0, 2, 1, 1.0)]


_PIECE_TEXT = "전자정부 프레임워크 SW개발 SQL Server를 텐서RT"


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, len(_PIECE_TEXT) - 1), st.integers(1, 12)),
        max_size=12,
    )
)
def test_only_pieces_covered_by_a_longer_other_mention_are_dropped(raw):
    from talentbridge.skills.mentions import Mention, _without_word_pieces

    mentions = sorted(
        {Mention(c, s, min(s + n, len(_PIECE_TEXT)), 1, 1.0) for c, s, n in raw},
        key=lambda m: (m.start, m.end, m.concept),
    )
    kept = _without_word_pieces(_PIECE_TEXT, mentions)
    assert [m for m in mentions if m in kept] == kept  # a subsequence, order kept
    for m in mentions:
        if m not in kept:
            assert any(
                o.concept != m.concept and o.start <= m.start and o.end >= m.end and o.end - o.start > m.end - m.start
                for o in mentions
            )
    # the longest mention at each place is never dropped
    if mentions:
        longest = max(mentions, key=lambda m: (m.end - m.start, -m.start))
        assert longest in kept


def test_an_esco_only_concept_named_where_a_built_in_one_is_follows_it():
    # with ESCO merged, "Spark" also names ESCO's *SPARK* (an Ada dialect), written as its preferred label, and
    # "Transformers" ESCO's *electrical machines*; the built-in concepts are what a résumé means
    from talentbridge.skills.taxonomy import Skill, Taxonomy

    taxonomy = Taxonomy()
    taxonomy.add_skills(
        [
            Skill("apache-spark", "Apache Spark", alt_en=["Spark"], type="tool"),
            Skill("esco-spark", "SPARK", builtin=False, type="knowledge"),
            Skill("transformer-architecture", "Transformer architecture", alt_en=["transformers"]),
            Skill("esco-electrical-machines", "electrical machines", alt_en=["transformers"], builtin=False),
            Skill("python", "Python", type="tool"),
            Skill("esco-airflow", "Apache Airflow", alt_en=["Airflow"], builtin=False),
        ]
    )
    extractor = SkillExtractor(taxonomy)
    ranked = _ids(extractor, "Python, Spark, Airflow, Hugging Face Transformers")
    assert ranked.index("apache-spark") < ranked.index("esco-spark")
    assert ranked.index("transformer-architecture") < ranked.index("esco-electrical-machines")
    # an ESCO concept that no built-in one shadows keeps its place among the named skills
    assert ranked.index("esco-airflow") < ranked.index("esco-spark")


@pytest.mark.parametrize(
    "text, skill_id, surface",
    [
        ("- 사용 기술: 파이썬, OpenCV", "engineering-general", "기술"),  # "skills used": a heading, not a field
        ("공정 개발 및 신약 개발 지원", "software-development", "개발"),  # process / drug development
        ("PyTorch 기반 비전 검사 모델 개발", "software-development", "개발"),
    ],
)
def test_korean_words_for_technology_and_development_name_no_field(builtin_extractor, text, skill_id, surface):
    assert surface not in _spans_of(builtin_extractor, text, skill_id)


def test_the_fields_themselves_are_still_named(builtin_extractor):
    assert "소프트웨어 개발" in _spans_of(
        builtin_extractor, "소프트웨어 개발 5년, 기계공학 전공", "software-development"
    )
    assert _spans_of(builtin_extractor, "엔지니어링 회사 근무", "engineering-general") == ["엔지니어링"]


def test_weak_mentions_are_marked(builtin_extractor):
    # "software" alone is one common word: named, but weakly; Docker is named outright; neither flag on inferred
    got = {s.label: s.weak for s in builtin_extractor.extract("Docker for our software team", top=10)}
    assert got[_label_of(builtin_extractor, "docker")] is False
    assert got[_label_of(builtin_extractor, "software-development")] is True


def test_names_with_symbols_are_never_common_words(builtin_extractor):
    # wordfreq reads only the letters of "C++" / "C#" / ".NET" ("c", "net"), which are common words: the names were
    # marked weak and ranked after other named skills (and stored at a lower confidence)
    text = "Skills: C++, C#, .NET, 3D modeling"
    weak = {s.label: s.weak for s in builtin_extractor.extract(text, top=10) if s.via == "explicit"}
    for skill_id in ("cpp", "csharp", "dotnet"):
        assert weak[_label_of(builtin_extractor, skill_id)] is False


def test_functional_languages_are_not_all_called_haskell(builtin_extractor):
    labels = [s.label for s in builtin_extractor.extract("Elixir, F#, 하스켈", top=5) if s.via == "explicit"]
    assert labels == ["Haskell and functional languages"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Apache Spark, Apache Kafka, Apache Airflow", False),  # Apache's projects, not its web server
        ("아파치 스파크와 아파치 카프카로 스트리밍 처리", False),
        ("Apache Pulsar 기반 메시징", False),  # a project the taxonomy may not know: still not the web server
        ("Nginx, Apache HTTP Server and Tomcat", True),
        ("웹 서버(톰캣) 운영", True),
        ("Apache, MySQL, PHP 운영 경험", True),  # alone, Apache is the web server
        ("리눅스 서버에 아파치 설치 및 운영", True),
        ("Apache web 서버 튜닝", True),
    ],
)
def test_apache_alone_is_the_web_server_and_its_projects_are_not(builtin_extractor, text, named):
    assert bool(_spans_of(builtin_extractor, text, "nginx")) is named
