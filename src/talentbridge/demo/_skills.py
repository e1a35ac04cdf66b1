"""Skill ids and labels for the demo, read from the built-in taxonomy files when they are there.

Each role lists skill *slots*; a slot is a tuple of candidate ids (synonyms the taxonomy might use). The first
candidate that exists in ``skills/data/*.jsonl`` is used; when no taxonomy file is present the first candidate is
used as is, so the generator still works while the taxonomy is being written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from talentbridge.domain.enums import OrganizationKind

__all__ = ["SkillInfo", "Role", "SkillCatalog", "load_catalog", "ROLE_SPECS"]

_SKILL_FILES = ("skills_core.jsonl", "skills_industry.jsonl")
_OCCUPATION_FILE = "occupations.jsonl"


@dataclass(frozen=True)
class SkillInfo:
    id: str
    label_en: str
    label_ko: str


@dataclass(frozen=True)
class Role:
    key: str
    label_ko: str
    label_en: str
    occupation_id: str | None
    core: tuple[str, ...]  # resolved skill ids, most central first
    extra: tuple[str, ...]
    phrases: tuple[str, ...]  # résumé/job sentences; {skill} is replaced by a label
    weight_by_kind: dict[OrganizationKind, float]


_S = OrganizationKind.AI_STARTUP
_M = OrganizationKind.MANUFACTURER
_L = OrganizationKind.LARGE_ENTERPRISE
_U = OrganizationKind.UNIVERSITY
_R = OrganizationKind.RESEARCH_INSTITUTE
_P = OrganizationKind.PUBLIC_AGENCY

# key, label_ko, label_en, occupation candidates, core slots, extra slots, phrases, weights by org kind
ROLE_SPECS: list[tuple[str, str, str, tuple[str, ...], list[tuple[str, ...]], list[tuple[str, ...]],
                       tuple[str, ...], dict[OrganizationKind, float]]] = [
    ("ml", "머신러닝 엔지니어", "Machine Learning Engineer", ("ml-engineer", "machine-learning-engineer"),
     [("python",), ("machine-learning",), ("deep-learning",), ("pytorch",), ("scikit-learn",)],
     [("sql",), ("docker",), ("git",), ("pandas",), ("numpy",), ("tensorflow",), ("mlflow",), ("linux",)],
     ("{skill} 기반 추천 모델 개발 및 운영", "Built {skill} training pipelines for production models",
      "{skill}로 수요 예측 모델 개발, MAPE 12% 개선", "사내 ML 플랫폼 구축 ({skill})"),
     {_S: 10, _L: 6, _M: 2, _R: 3, _U: 1}),
    ("cv", "컴퓨터 비전 엔지니어", "Computer Vision Engineer", ("computer-vision-engineer", "cv-engineer"),
     [("computer-vision",), ("pytorch",), ("python",), ("object-detection",), ("opencv",)],
     [("image-segmentation",), ("cuda-programming", "cuda"), ("tensorrt",), ("onnx",), ("deep-learning",),
      ("data-labeling",)],
     ("PyTorch 기반 비전 검사 모델 개발", "{skill}로 PCB 불량 검출 정확도 97% 달성",
      "Deployed {skill} models on edge devices", "{skill} 활용 자율주행 인지 모델 고도화"),
     {_S: 8, _L: 4, _M: 4, _R: 2, _U: 1}),
    ("nlp", "자연어처리·LLM 엔지니어", "NLP / LLM Engineer", ("nlp-engineer", "llm-engineer"),
     [("natural-language-processing", "nlp"), ("large-language-models", "llm"), ("python",), ("pytorch",),
      ("huggingface-transformers", "transformers")],
     [("retrieval-augmented-generation", "rag"), ("prompt-engineering",), ("fine-tuning", "llm-fine-tuning"),
      ("langchain",), ("vector-databases", "vector-database"), ("korean-nlp",)],
     ("{skill} 기반 한국어 챗봇 개발", "Fine-tuned LLMs with {skill} for Korean customer support",
      "사내 문서 검색 RAG 시스템 구축 ({skill})", "{skill}로 고객 상담 요약 모델 개발"),
     {_S: 9, _L: 5, _M: 1, _R: 2, _U: 1}),
    ("ds", "데이터 사이언티스트", "Data Scientist", ("data-scientist",),
     [("data-science",), ("python",), ("sql",), ("statistics",), ("pandas",)],
     [("scikit-learn",), ("data-visualization",), ("ab-testing",), ("xgboost", "gradient-boosting"),
      ("regression-analysis",), ("exploratory-data-analysis",)],
     ("{skill}로 고객 이탈 예측 모델 개발", "Ran A/B tests and {skill} analyses for product teams",
      "{skill} 기반 매출 대시보드 구축", "마케팅 데이터 분석 ({skill})"),
     {_S: 7, _L: 6, _M: 2, _R: 1, _P: 1}),
    ("mlops", "MLOps 엔지니어", "MLOps Engineer", ("mlops-engineer",),
     [("mlops",), ("docker",), ("kubernetes",), ("python",), ("ci-cd", "ci-cd-basics")],
     [("mlflow",), ("aws", "cloud-computing"), ("linux",), ("airflow", "apache-airflow"), ("model-serving",),
      ("ml-monitoring", "monitoring-observability")],
     ("{skill}로 모델 배포 파이프라인 자동화", "Operated {skill} clusters for GPU training",
      "모델 서빙 지연시간 40% 단축 ({skill})"),
     {_S: 6, _L: 4, _M: 1}),
    ("de", "데이터 엔지니어", "Data Engineer", ("data-engineer",),
     [("data-engineering",), ("python",), ("sql",), ("apache-spark", "spark"), ("data-pipelines", "etl")],
     [("apache-kafka", "kafka"), ("airflow", "apache-airflow"), ("aws", "cloud-computing"), ("postgresql",),
      ("data-quality",)],
     ("{skill} 기반 데이터 파이프라인 구축", "Built streaming ingestion with {skill}",
      "공장 설비 데이터 수집 플랫폼 구축 ({skill})"),
     {_S: 5, _L: 5, _M: 3}),
    ("research", "AI 연구원", "AI Research Scientist", ("ai-researcher", "research-scientist"),
     [("deep-learning",), ("machine-learning",), ("pytorch",), ("mathematics",), ("python",)],
     [("reinforcement-learning",), ("generative-models", "generative-ai"), ("linear-algebra",),
      ("optimization",), ("probability",), ("computer-vision",), ("natural-language-processing", "nlp")],
     ("{skill} 관련 논문 NeurIPS/CVPR 게재", "Published research on {skill}",
      "{skill} 기반 신규 알고리즘 연구", "정부 과제 수행 ({skill})"),
     {_R: 10, _U: 8, _L: 2, _S: 2}),
    ("factory", "스마트팩토리 AI 엔지니어", "Smart Factory AI Engineer", ("smart-factory-engineer",),
     [("smart-factory", "smart-manufacturing"), ("anomaly-detection",), ("time-series-analysis",), ("python",),
      ("predictive-maintenance",)],
     [("plc", "plc-programming"), ("mes",), ("industrial-iot", "iiot"), ("opc-ua",),
      ("statistical-process-control",), ("sql",), ("manufacturing-ai",), ("oee",), ("vibration-analysis",),
      ("welding-process",), ("battery-manufacturing",), ("steel-process",)],
     ("설비 진동 데이터로 {skill} 모델 개발", "예지보전 시스템 구축으로 비계획 정지 30% 감소 ({skill})",
      "Built {skill} for press line sensors", "MES 연계 품질 예측 모델 개발 ({skill})"),
     {_M: 10, _L: 5, _S: 2, _R: 2}),
    ("inspection", "비전 검사 엔지니어", "Machine Vision Inspection Engineer", ("vision-inspection-engineer", "machine-vision-engineer"),
     [("machine-vision",), ("computer-vision",), ("defect-detection", "visual-inspection"), ("python",),
      ("opencv",)],
     [("pytorch",), ("anomaly-detection",), ("industrial-imaging",), ("halcon",), ("yolo",), ("vision-inspection",), ("deep-learning",)],
     ("용접 비드 외관 검사 {skill} 모델 개발", "{skill}로 2차전지 셀 외관 불량 검출 자동화",
      "Replaced rule-based inspection with {skill}"),
     {_M: 8, _L: 3, _S: 2}),
    ("robotics", "로보틱스 엔지니어", "Robotics Engineer", ("robotics-engineer",),
     [("robotics",), ("ros", "ros2"), ("cpp",), ("python",), ("motion-planning",)],
     [("slam",), ("reinforcement-learning",), ("computer-vision",), ("control-systems", "control-engineering"),
      ("sensor-fusion",)],
     ("{skill} 기반 협동로봇 피킹 시스템 개발", "Developed {skill} stacks for AMRs in warehouses",
      "물류 로봇 경로 계획 알고리즘 개발 ({skill})"),
     {_M: 5, _L: 3, _S: 3, _R: 4, _U: 2}),
    ("edge", "엣지 AI 엔지니어", "Edge AI Engineer", ("embedded-ai-engineer", "edge-ai-engineer"),
     [("edge-ai", "on-device-ai"), ("cpp",), ("model-quantization", "quantization"), ("tensorrt",),
      ("embedded-systems",)],
     [("onnx",), ("cuda-programming", "cuda"), ("linux",), ("c-language",), ("model-compression",)],
     ("{skill}로 NPU 추론 최적화", "Quantized detection models with {skill} for edge devices",
      "온디바이스 음성 인식 경량화 ({skill})"),
     {_S: 3, _M: 3, _L: 3, _R: 1}),
    ("backend", "AI 서비스 백엔드 엔지니어", "Backend Engineer (AI services)", ("backend-developer", "backend-engineer"),
     [("backend-development",), ("python",), ("fastapi",), ("rest-api-design",), ("sql",)],
     [("docker",), ("postgresql",), ("aws", "cloud-computing"), ("java",), ("spring-framework",),
      ("microservices",)],
     ("{skill} 기반 추론 API 서버 개발", "Built {skill} services serving 10M requests/day",
      "AI 서비스 백엔드 설계 및 운영 ({skill})"),
     {_S: 6, _L: 4, _M: 1, _P: 1}),
    ("process", "공정 데이터 분석가", "Process Data Analyst", ("industrial-data-analyst", "process-engineer", "data-analyst"),
     [("statistical-process-control",), ("data-analysis",), ("statistics",), ("python",), ("minitab",)],
     [("six-sigma",), ("time-series-analysis",), ("experimental-design",), ("sql",), ("excel-analysis",)],
     ("{skill}로 사출 공정 불량률 1.2%p 개선", "Led {skill} projects on the assembly line",
      "공정 변수 최적화 ({skill})"),
     {_M: 6, _L: 3}),
    ("pm", "AI 프로덕트 매니저", "AI Product Manager", ("ai-product-manager", "product-manager"),
     [("ai-product-management", "product-management"), ("machine-learning",), ("data-analysis",), ("sql",)],
     [("product-analytics",), ("ab-testing",), ("ai-project-management", "project-management"), ("communication",)],
     ("{skill} 기반 AI 제품 기획 및 출시", "Owned the roadmap of an ML product ({skill})",
      "고객사 PoC 리딩 ({skill})"),
     {_S: 3, _L: 2, _P: 2}),
    ("semi", "반도체 공정 AI 엔지니어", "Semiconductor AI Engineer", ("semiconductor-ai-engineer",),
     [("semiconductor-process",), ("yield-analysis",), ("machine-learning",), ("python",), ("wafer-map-analysis",)],
     [("fdc",), ("virtual-metrology",), ("advanced-process-control",), ("statistics",), ("sql",)],
     ("{skill} 기반 웨이퍼 불량 패턴 분류 모델 개발", "Built {skill} models for yield prediction",
      "가상 계측(VM) 모델로 계측 비용 절감 ({skill})"),
     {_M: 3, _L: 4, _R: 1}),
]  # fmt: skip

#: Skills everybody in AI tends to list; filtered to those present.
GENERAL_SLOTS: list[tuple[str, ...]] = [
    ("git",),
    ("linux",),
    ("sql",),
    ("python",),
    ("communication",),
    ("english-communication", "english"),
    ("jupyter",),
]


@dataclass
class SkillCatalog:
    skills: dict[str, SkillInfo]  # every skill read (or the fallback ids)
    occupations: set[str]
    roles: list[Role]
    general: tuple[str, ...]
    from_files: bool

    def label(self, skill_id: str, korean: bool) -> str:
        info = self.skills.get(skill_id)
        if info is None:
            return skill_id
        return (info.label_ko or info.label_en) if korean else (info.label_en or info.label_ko)


def _read_jsonl(name: str) -> list[dict[str, object]] | None:
    try:
        text = resources.files("talentbridge.skills").joinpath("data", name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return None
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue  # a file being written: skip what does not parse
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):
            out.append(obj)
    return out


def _resolve(slot: tuple[str, ...], known: dict[str, SkillInfo] | None) -> str | None:
    if known is None:
        return slot[0]
    for candidate in slot:
        if candidate in known:
            return candidate
    return None


def load_catalog() -> SkillCatalog:
    """Read the taxonomy files (when present) and resolve every role's skills to existing ids."""
    skills: dict[str, SkillInfo] = {}
    found_any = False
    for name in _SKILL_FILES:
        rows = _read_jsonl(name)
        if rows is None:
            continue
        found_any = True
        for row in rows:
            sid = str(row["id"])
            skills[sid] = SkillInfo(sid, str(row.get("label_en") or sid), str(row.get("label_ko") or ""))
    occ_rows = _read_jsonl(_OCCUPATION_FILE) or []
    occupations = {str(r["id"]) for r in occ_rows}
    known = skills if found_any and len(skills) >= 20 else None

    roles = []
    for key, ko, en, occ, core, extra, phrases, weights in ROLE_SPECS:
        core_ids = [s for s in (_resolve(slot, known) for slot in core) if s]
        extra_ids = [s for s in (_resolve(slot, known) for slot in extra) if s and s not in core_ids]
        if len(core_ids) < 2:  # the taxonomy lacks this role's skills: borrow from the extras
            core_ids, extra_ids = (core_ids + extra_ids)[:3], (core_ids + extra_ids)[3:]
        if len(core_ids) < 2:
            continue
        occupation = next((o for o in occ if o in occupations), None)
        roles.append(
            Role(
                key,
                ko,
                en,
                occupation,
                tuple(dict.fromkeys(core_ids)),
                tuple(dict.fromkeys(extra_ids)),
                phrases,
                weights,
            )
        )
    if not roles:  # a taxonomy without any of our skills: fall back to the ids as written
        return _fallback_catalog()
    general = tuple(dict.fromkeys(s for s in (_resolve(slot, known) for slot in GENERAL_SLOTS) if s))
    if known is None:
        for role in roles:
            for sid in (*role.core, *role.extra):
                skills.setdefault(sid, SkillInfo(sid, sid.replace("-", " "), ""))
        for sid in general:
            skills.setdefault(sid, SkillInfo(sid, sid.replace("-", " "), ""))
    return SkillCatalog(skills, occupations, roles, general, from_files=known is not None)


def _fallback_catalog() -> SkillCatalog:
    roles = []
    skills: dict[str, SkillInfo] = {}
    for key, ko, en, _occ, core, extra, phrases, weights in ROLE_SPECS:
        core_ids = tuple(slot[0] for slot in core)
        extra_ids = tuple(slot[0] for slot in extra if slot[0] not in core_ids)
        roles.append(Role(key, ko, en, None, core_ids, extra_ids, phrases, weights))
        for sid in (*core_ids, *extra_ids):
            skills.setdefault(sid, SkillInfo(sid, sid.replace("-", " "), ""))
    general = tuple(slot[0] for slot in GENERAL_SLOTS)
    return SkillCatalog(skills, set(), roles, general, from_files=False)
