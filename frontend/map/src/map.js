// The Karte's map: area shapes stay in the browser, every view sends only colours, tooltips and the choice.
//
// Two kinds of element mount this module (sozialdash/ui/area_map.py). A shapes element carries one level's
// geometry as bytes; it is the same message on every rerun, so Streamlit's message cache sends it once and the
// browser keeps it here. A view element carries what changes (fills, tooltips, chosen areas, labels on or off)
// and redraws the same deck: the polygons keep their identity, so deck.gl recolours them without tessellating
// them again. A view may carry institutions as points (or as counts per cell) and a search circle, drawn over the
// areas and their names. Every string from the data is drawn as text (canvas text, tooltip innerText), never as
// HTML.

import {Deck, MapView, WebMercatorViewport} from '@deck.gl/core';
import {LineLayer, ScatterplotLayer, SolidPolygonLayer, TextLayer} from '@deck.gl/layers';
import {CollisionFilterExtension} from '@deck.gl/extensions';

// deck.gl's collision filter fades a name by how much of a 5×5 pixel neighbourhood around its anchor it wins,
// which leaves names half transparent on the edge of a stronger one's box (and their white halo whole): on a
// projector, a grey smudge. This one drops a name that wins less than half of it and draws the rest whole
// (kepler.gl patches the shader the same way).
class WholeNames extends CollisionFilterExtension {
  getShaders() {
    const [module] = super.getShaders().modules;
    const position = module.inject['vs:DECKGL_FILTER_GL_POSITION'];
    if (!position.includes('collision_fade < 0.0001')) throw new Error('deck.gl collision shader changed');
    WholeNames.module ||= {...module, inject: {...module.inject,
      'vs:DECKGL_FILTER_GL_POSITION': position.replace('collision_fade < 0.0001', 'collision_fade < 0.5'),
      'vs:DECKGL_FILTER_COLOR': ''}};
    return {modules: [WholeNames.module]};
  }
}
WholeNames.extensionName = 'WholeNames';

const shapes = new Map();   // key -> {ready: Promise<geometry>, resolve}
const maps = new WeakMap(); // parentElement -> map state

function entry(key) {
  let found = shapes.get(key);
  if (!found) {
    let resolve;
    const ready = new Promise((done) => { resolve = done; });
    found = {ready, resolve};
    shapes.set(key, found);
  }
  return found;
}

// Layout written by sozialdash.views.maps.shape_payload: uint32 header length, UTF-8 JSON header, padding to
// 4 bytes, then float32 x/y per vertex, uint32 ring starts (vertices), part starts (rings), area per part.
function decode(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)));
  const start = (4 + headerLength + 3) & ~3;
  const buffer = bytes.slice(start).buffer;
  const {vertices, rings, parts} = header;
  const xy = new Float32Array(buffer, 0, vertices * 2);
  let offset = vertices * 8;
  const ringStart = new Uint32Array(buffer, offset, rings + 1);
  offset += (rings + 1) * 4;
  const partStart = new Uint32Array(buffer, offset, parts + 1);
  offset += (parts + 1) * 4;
  const partArea = new Uint32Array(buffer, offset, parts);

  const polygons = [];
  const allRings = [];
  const exteriors = [];
  for (let part = 0; part < parts; part++) {
    const area = partArea[part];
    const first = partStart[part];
    const last = partStart[part + 1];
    const from = ringStart[first];
    const holeIndices = [];
    for (let ring = first; ring < last; ring++) {
      const path = xy.subarray(ringStart[ring] * 2, ringStart[ring + 1] * 2);
      allRings.push({area, path});
      if (ring === first) exteriors.push({area, path});
      else holeIndices.push((ringStart[ring] - from) * 2);
    }
    const positions = xy.subarray(from * 2, ringStart[last] * 2);
    polygons.push({area, polygon: holeIndices.length ? {positions, holeIndices} : positions});
  }
  let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    minX = Math.min(minX, xy[i]); maxX = Math.max(maxX, xy[i]);
    minY = Math.min(minY, xy[i + 1]); maxY = Math.max(maxY, xy[i + 1]);
  }
  const labels = header.names.map((name, area) => ({
    area, name, position: header.label_points[area], room: header.label_rooms[area],
    priority: header.priorities[area],
  }));
  let area = 0; // shoelace over every ring: holes wind the other way in WKB as well
  for (let ring = 0; ring < rings; ring++) {
    for (let i = ringStart[ring]; i < ringStart[ring + 1] - 1; i++) {
      area += xy[2 * i] * xy[2 * i + 3] - xy[2 * i + 2] * xy[2 * i + 1];
    }
  }
  const latitude = ((minY + maxY) / 2) * Math.PI / 180;
  return {key: header.key, ids: header.ids, polygons, exteriors, labels,
    borders: segments(allRings), outlines: segments(exteriors),
    bounds: [[minX, minY], [maxX, maxY]], meanArea: Math.abs(area) / 2 / header.ids.length,
    stretch: 1 / Math.cos(latitude)};
}

// Outlines as line segments in binary attributes for a LineLayer: its shader compiles and draws faster than the
// PathLayer's (joints and caps; 0.25 s of a first map in software WebGL), and at these widths corners show none.
// An edge two areas share is drawn once (the shapes are a coverage: its vertices are the same in both).
function segments(rings) {
  const seen = new Set();
  const source = [];
  const target = [];
  for (const {path} of rings) {
    for (let i = 0; i + 3 < path.length; i += 2) {
      const a = `${path[i]},${path[i + 1]}`;
      const b = `${path[i + 2]},${path[i + 3]}`;
      const edge = a < b ? `${a};${b}` : `${b};${a}`;
      if (seen.has(edge)) continue;
      seen.add(edge);
      source.push(path[i], path[i + 1]);
      target.push(path[i + 2], path[i + 3]);
    }
  }
  return {length: source.length / 2, attributes: {
    getSourcePosition: {value: Float32Array.from(source), size: 2},
    getTargetPosition: {value: Float32Array.from(target), size: 2}}};
}

const STYLE = `
  .sozialdash-map { position: relative; width: 100%; overflow: hidden; }
  .sozialdash-map .zoom { position: absolute; top: 10px; right: 10px; display: flex; flex-direction: column;
    gap: 4px; z-index: 2; }
  .sozialdash-map button { width: 36px; height: 36px; font: 600 20px/1 sans-serif; color: #222;
    background: #fff; border: 1px solid #bbb; border-radius: 6px; cursor: pointer; padding: 0; }
  .sozialdash-map button:hover { background: #f0f0f0; }
  .sozialdash-map button:focus-visible { outline: 3px solid #1c83e1; }
`;

function button(text, label, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.title = label;
  element.setAttribute('aria-label', label);
  element.addEventListener('click', (event) => { event.stopPropagation(); onClick(); });
  element.addEventListener('dblclick', (event) => event.stopPropagation());
  return element;
}

function fitted(geometry, container, padding) {
  const width = container.clientWidth || 640;
  const height = container.clientHeight || 480;
  const viewport = new WebMercatorViewport({width, height});
  const margin = Math.round(Math.min(width, height) * padding);
  const {longitude, latitude, zoom} = viewport.fitBounds(geometry.bounds, {padding: margin});
  return {longitude, latitude, zoom, minZoom: zoom - 2, maxZoom: zoom + 5, pitch: 0, bearing: 0};
}

// A search circle is shown whole, as large as the map allows within the city view's zoom limits; the city's own
// view otherwise.
function around(circle, geometry, container, padding) {
  const city = fitted(geometry, container, padding);
  const [longitude, latitude] = circle.position;
  const dy = circle.radius_m / 111320;
  const dx = dy / Math.cos((latitude * Math.PI) / 180);
  const bounds = {bounds: [[longitude - dx, latitude - dy], [longitude + dx, latitude + dy]]};
  const near = fitted(bounds, container, padding);
  return {...near, zoom: Math.max(city.minZoom, Math.min(city.maxZoom, near.zoom)), minZoom: city.minZoom,
    maxZoom: city.maxZoom};
}

function framed(state, data, geometry) {
  return data.circle ? around(data.circle, geometry, state.container, data.padding)
    : fitted(geometry, state.container, data.padding);
}

function create(parentElement, setTriggerValue) {
  const style = document.createElement('style');
  style.textContent = STYLE;
  const container = document.createElement('div');
  container.className = 'sozialdash-map';
  container.dataset.testid = 'sozialdash-map';
  parentElement.append(style, container);
  const state = {container, setTriggerValue, viewState: null, key: null, data: null};
  state.deck = new Deck({
    parent: container,
    views: new MapView({repeat: false}),
    controller: true,
    viewState: {longitude: 0, latitude: 0, zoom: 1},
    onViewStateChange: ({viewState}) => { move(state, viewState); },
    getTooltip: (info) => tooltip(state, info),
    onClick: (info) => click(state, info),
    onAfterRender: () => {
      if (state.namesLater) {
        state.namesLater = false;
        state.deck.setProps({layers: layers(state)});
      } else if (state.drawing !== undefined) {
        container.dataset.drawn = state.drawing;
        state.drawing = undefined;
      }
    },
  });
  const zoom = document.createElement('div');
  zoom.className = 'zoom';
  zoom.append(
    button('+', 'Hineinzoomen', () => step(state, 1)),
    button('−', 'Herauszoomen', () => step(state, -1)),
    button('⌂', 'Ganze Stadt zeigen', () => move(state, fitted(state.geometry, container, state.data.padding))),
  );
  container.append(zoom);
  return state;
}

// Zoom steps at which the names and outlines are chosen again (a quarter step: names appear as the user zooms).
const BUCKETS = 4;

function move(state, viewState) {
  const {minZoom, maxZoom} = state.viewState || viewState;
  state.viewState = {...viewState, minZoom, maxZoom,
    zoom: Math.min(maxZoom, Math.max(minZoom, viewState.zoom))};
  const bucket = Math.round(state.viewState.zoom * BUCKETS);
  if (state.geometry && bucket !== state.bucket) {
    state.bucket = bucket;
    state.deck.setProps({viewState: state.viewState, layers: layers(state)});
  } else {
    state.deck.setProps({viewState: state.viewState});
  }
}

function pixelsPerDegree(bucket) {
  return (512 * 2 ** (bucket / BUCKETS)) / 360;
}

// The names whose area has room for them at this zoom: the collision filter pays for every name it is given.
function labelsAt(state, bucket) {
  const {geometry, data} = state;
  if (state.named && state.named.bucket === bucket && state.named.geometry === geometry) return state.named.labels;
  const least = data.label_room_px / pixelsPerDegree(bucket);
  const labels = geometry.labels.filter((d) => d.room >= least);
  state.named = {bucket, geometry, labels};
  return labels;
}

// Outlines only once the areas average enough pixels to be told apart by them.
function bordersAt(state, bucket) {
  const {geometry, data} = state;
  return geometry.meanArea * geometry.stretch * pixelsPerDegree(bucket) ** 2 >= data.border_area_px;
}

function step(state, by) {
  if (state.viewState) move(state, {...state.viewState, zoom: state.viewState.zoom + by});
}

// What the pointer is on: an area, a point or cell (binary data: picked by index), or the chosen institution.
function picked(state, {layer, index, object}) {
  const {data} = state;
  if (!layer || !data || index < 0) return null;
  if (layer.id === 'areas' && object) {
    return {text: data.tooltips[object.area], area: state.geometry.ids[object.area]};
  }
  if (layer.id === 'points') {
    const {points} = data;
    return {text: points.tooltips[index], point: points.aggregated ? null : points.ids[index]};
  }
  if (layer.id === 'chosen-point') return {text: data.points.chosen.tooltip, point: data.points.chosen.id};
  return null;
}

function tooltip(state, info) {
  const found = picked(state, info);
  return found ? {text: found.text, style: state.tooltipStyle} : null;
}

// A click on an institution names it ('picked'), a click on an area names the area ('clicked'); a cell of counts
// is neither.
function click(state, info) {
  const found = picked(state, info);
  if (found?.point) state.setTriggerValue('picked', found.point);
  else if (found?.area) state.setTriggerValue('clicked', found.area);
}

// Props that never change between views, made once per distinct setting: deck.gl compares object props by
// identity, and a new fontSettings object builds the whole font atlas again (0.7 s per change at 550 areas in
// software WebGL).
const constants = new Map();

function styles(data) {
  const key = JSON.stringify([data.colours, data.collision_scale]);
  let found = constants.get(key);
  if (!found) {
    found = {
      ...data.colours,
      fontSettings: {sdf: true}, collisionTestProps: {sizeScale: data.collision_scale},
      extensions: [new WholeNames()],
    };
    constants.set(key, found);
  }
  return found;
}

// The chosen areas' outlines, made again only when the choice or the shapes change.
function selection(state) {
  const {geometry, data} = state;
  const key = data.chosen.join(',');
  if (!state.chosen || state.chosen.key !== key || state.chosen.geometry !== geometry) {
    const chosen = new Set(data.chosen);
    state.chosen = {key, geometry, segments: segments(geometry.exteriors.filter((d) => chosen.has(d.area)))};
  }
  return state.chosen.segments;
}

// A view's points as binary positions, made once per view: relayering on zoom keeps the same data object, so
// deck.gl fills its buffers only for a new view (whose new data object tells it to).
function pointsOf(state) {
  const {data} = state;
  if (!state.points || state.points.view !== data.view) {
    const {positions} = data.points;
    state.points = {view: data.view, data: {length: positions.length / 2,
      attributes: {getPosition: {value: Float64Array.from(positions), size: 2}}}};
  }
  return state.points.data;
}

// The circle as a layer's data: the same array while the circle is the same, so zooming does not refill it.
const alone = new WeakMap();
function single(object) {
  let found = alone.get(object);
  if (!found) { found = [object]; alone.set(object, found); }
  return found;
}
const HALO_AND_DOT = [{halo: true}, {halo: false}];

// Each dot in a white edge, and under it a thin dark rim: the white parts a dot from a dark fill, the rim from a
// light one (a yellow dot on the light end of a ramp). The stroke is centred on the radius, so the rim reaches
// half the edge and its own width beyond it.
function pointLayers(state) {
  const {points} = state.data;
  const {palette, fills} = points;
  const radius = points.aggregated ? (_, {index}) => points.radii_px[index] : () => points.radius_px;
  const beyond = points.edge_px / 2 + points.rim_px;
  return [
    new ScatterplotLayer({
      id: 'points-rim', data: pointsOf(state), getFillColor: points.rim, radiusUnits: 'pixels',
      getRadius: (d, info) => radius(d, info) + beyond, pickable: false,
    }),
    new ScatterplotLayer({
      id: 'points', data: pointsOf(state), getFillColor: (_, {index}) => palette[fills[index]],
      getRadius: radius, radiusUnits: 'pixels', stroked: true, getLineColor: points.edge,
      lineWidthUnits: 'pixels', getLineWidth: points.edge_px, pickable: true,
    }),
  ];
}

// The chosen institution on top of everything: a white halo, then the dot in its colour in a dark ring, which
// stands out from any fill and any dot.
function chosenLayer(state) {
  const {view, points: {chosen, edge}} = state.data;
  return new ScatterplotLayer({
    id: 'chosen-point', data: HALO_AND_DOT, getPosition: () => chosen.position,
    getRadius: (d) => (d.halo ? chosen.radius_px + chosen.halo_px : chosen.radius_px), radiusUnits: 'pixels',
    getFillColor: (d) => (d.halo ? edge : chosen.fill), stroked: true,
    getLineColor: (d) => (d.halo ? edge : chosen.ring), lineWidthUnits: 'pixels', getLineWidth: chosen.ring_px,
    pickable: true, updateTriggers: {getPosition: view, getFillColor: view, getRadius: view, getLineColor: view},
  });
}

// The search circle's faint fill lies under the names and points, its outline over them: dense points or cells
// do not hide where the search ends, and the fill does not dim them.
// The centre the distances are measured from: a small ring of the outline's colour, so it reads on any fill.
function centreLayer(circle) {
  return new ScatterplotLayer({
    id: 'circle-centre', data: single(circle), getPosition: (d) => d.position, radiusUnits: 'pixels',
    getRadius: circle.centre_px, filled: true, getFillColor: [255, 255, 255, 255], stroked: true,
    getLineColor: circle.line, lineWidthUnits: 'pixels', getLineWidth: circle.line_px, pickable: false,
  });
}

function circleLayer(circle, part) {
  const outline = part === 'outline';
  return new ScatterplotLayer({
    id: `circle-${part}`, data: single(circle), getPosition: (d) => d.position, getRadius: (d) => d.radius_m,
    radiusUnits: 'meters', filled: !outline, getFillColor: circle.fill, stroked: outline,
    getLineColor: circle.line, lineWidthUnits: 'pixels', getLineWidth: circle.line_px, pickable: false,
  });
}

function layers(state) {
  const {data, geometry, parent, bucket} = state;
  const style = styles(data);
  const {palette, fills} = data;
  const result = [
    new SolidPolygonLayer({
      id: 'areas', data: geometry.polygons, getPolygon: (d) => d.polygon, positionFormat: 'XY',
      getFillColor: (d) => palette[fills[d.area]],
      updateTriggers: {getFillColor: data.fills_view}, pickable: true, autoHighlight: true,
      highlightColor: style.highlight,
    }),
    new LineLayer({
      id: 'borders', data: geometry.borders, visible: bordersAt(state, bucket),
      getColor: style.outline, widthUnits: 'pixels', getWidth: 1, pickable: false,
    }),
  ];
  if (parent) {
    result.push(new LineLayer({
      id: 'outlines', data: parent.outlines, getColor: style.parent, widthUnits: 'pixels', getWidth: 2.5,
      pickable: false,
    }));
  }
  if (data.chosen.length) {
    result.push(new LineLayer({
      id: 'selection', data: selection(state), getColor: style.chosen, widthUnits: 'pixels', getWidth: 5,
      pickable: false,
    }));
  }
  if (data.circle) result.push(circleLayer(data.circle, 'fill'));
  if (data.labels && !state.namesLater) {
    result.push(new TextLayer({
      id: 'labels', data: labelsAt(state, bucket), getText: (d) => d.name, getPosition: (d) => d.position,
      getSize: data.label_px, getColor: style.text, characterSet: 'auto', fontWeight: 600,
      fontFamily: 'Helvetica, Arial, sans-serif', fontSettings: style.fontSettings, outlineWidth: 3,
      outlineColor: style.halo, pickable: false, extensions: style.extensions,
      getCollisionPriority: (d) => d.priority, collisionTestProps: style.collisionTestProps,
    }));
  }
  if (data.points) result.push(...pointLayers(state));
  if (data.circle) result.push(circleLayer(data.circle, 'outline'), centreLayer(data.circle));
  if (data.points?.chosen) result.push(chosenLayer(state));
  return result;
}

async function show(state, data) {
  const [geometry, parent] = await Promise.all([
    entry(data.shapes).ready, data.parent ? entry(data.parent).ready : Promise.resolve(null),
  ]);
  if (state.data !== data) return; // a newer view arrived while the shapes were on their way
  state.geometry = geometry;
  state.parent = parent;
  state.tooltipStyle = {fontSize: `${data.tooltip_px}px`, whiteSpace: 'pre-line', maxWidth: '360px',
    backgroundColor: '#fff', color: `rgb(${data.colours.text.slice(0, 3).join(',')})`, border: '1px solid #bbb', padding: '6px 8px'};
  if (state.key !== data.shapes) {
    // A new map shows its areas first and its names in the next frame: the names' font atlas and collision
    // pass would hold back the whole first picture (0.35 s on the demo in software WebGL).
    state.namesLater = Boolean(data.labels);
    state.key = data.shapes;
    state.viewState = null;
    state.bucket = undefined;
  }
  state.drawing = data.view;
  state.deck.setProps({controller: data.controller});
  const focus = data.circle ? JSON.stringify([data.circle.position, data.circle.radius_m]) : null;
  if (state.viewState && focus !== state.focus) state.viewState = null;  // a new circle, or none any more
  state.focus = focus;
  if (state.viewState) {
    state.bucket = Math.round(state.viewState.zoom * BUCKETS);
    state.deck.setProps({layers: layers(state)});
  } else {
    move(state, framed(state, data, geometry));
  }
}

export function render({data, parentElement, setTriggerValue}) {
  if (data instanceof Uint8Array) {
    // A shapes element draws nothing; hidden, it takes no gap in the page's column either.
    const box = parentElement.closest('[data-testid="stElementContainer"]');
    if (box) box.style.display = 'none';
    const geometry = decode(data);
    const found = entry(geometry.key);
    if (!found.value) { found.value = geometry; found.resolve(geometry); }
    return undefined;
  }
  let state = maps.get(parentElement);
  if (!state) {
    state = create(parentElement, setTriggerValue);
    maps.set(parentElement, state);
  }
  state.setTriggerValue = setTriggerValue;
  state.container.style.height = `${data.height}px`;
  state.data = data;
  show(state, data);
  return undefined;
}

export function forget(parentElement) {
  const state = maps.get(parentElement);
  if (state) { state.deck.finalize(); maps.delete(parentElement); }
}
